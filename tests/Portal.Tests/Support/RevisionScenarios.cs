using Portal.Web.Domain;

namespace Portal.Tests.Support;

/// <summary>Amendments with chosen text, through the same forms the pages post; publishing is <see cref="CsafScenarios.PublishedWithAsync"/>.</summary>
public static class RevisionScenarios
{
    public static Dictionary<string, string> With(this Dictionary<string, string> fields, params (string Name, string Value)[] changes)
    {
        var copy = new Dictionary<string, string>(fields);
        foreach (var (name, value) in changes) copy[name] = value;
        return copy;
    }

    /// <summary>
    /// An officer amends the text to <paramref name="fields"/> and submits it as a material change (or <paramref name="kind"/>); the
    /// approver publishes it unless <paramref name="approve"/> is false (the amendment stays in progress).
    /// <paramref name="beforeSubmit"/> may change rules or audience on the entity meanwhile.
    /// </summary>
    public static async Task AmendTextAsync(this PortalFixture fixture, Guid id, Dictionary<string, string> fields, string changeSummary,
        bool approve = true, Func<Portal.Web.Data.PortalDbContext, Circular, Guid, Task>? beforeSubmit = null, RevisionKind kind = RevisionKind.Material)
    {
        var officer = await fixture.SignedInAs(Scenarios.Officer);
        (await fixture.TransitionAsync(officer, id, "amend")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var edit = fields.With(("Version", (await fixture.VersionAsync(id)).ToString()));
        var edited = await officer.PostFormAsync($"/circulars/{id}/edit", edit, $"/circulars/{id}");
        edited.StatusCode.ShouldBe(HttpStatusCode.Redirect, await edited.Content.ReadAsStringAsync());
        if (beforeSubmit is not null)
            await fixture.Db(async db =>
            {
                var circular = await db.Circulars.Include(c => c.Rules).Include(c => c.Audience).Include(c => c.Sources).SingleAsync(c => c.Id == id);
                var officerId = await db.Users.Where(u => u.Email == Scenarios.Officer).Select(u => u.Id).SingleAsync();
                await beforeSubmit(db, circular, officerId);
                await db.SaveChangesAsync();
                return true;
            });
        var submitted = await fixture.TransitionAsync(officer, id, "submit",
            new() { ["ChangeSummary"] = changeSummary, ["ChangeKind"] = kind.ToString(), ["IsAmendment"] = "true" });
        submitted.StatusCode.ShouldBe(HttpStatusCode.Redirect, await submitted.Content.ReadAsStringAsync());
        if (!approve) return;
        var approver = await fixture.SignedInAs(Scenarios.Approver);
        var approved = await fixture.TransitionAsync(approver, id, "approve");
        approved.StatusCode.ShouldBe(HttpStatusCode.Redirect, await approved.Content.ReadAsStringAsync());
    }
}
