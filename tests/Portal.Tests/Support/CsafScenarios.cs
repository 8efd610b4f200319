using Portal.Web.Data;
using Portal.Web.Domain;

namespace Portal.Tests.Support;

/// <summary>The rest of a circular's life, through the same forms the pages post, for the CSAF and feed tests.</summary>
public static class CsafScenarios
{
    /// <summary>Drafted with the given fields (internal notes, say), made publishable, submitted and approved.</summary>
    public static async Task<Guid> PublishedWithAsync(this PortalFixture fixture, Dictionary<string, string> fields, string audienceUnitCode = "AC",
        Func<PortalDbContext, Circular, Task>? arrange = null)
    {
        var officer = await fixture.SignedInAs(Scenarios.Officer);
        var approver = await fixture.SignedInAs(Scenarios.Approver);
        var drafted = await officer.PostFormAsync("/circulars/new", fields);
        drafted.StatusCode.ShouldBe(HttpStatusCode.Redirect, await drafted.Content.ReadAsStringAsync());
        var id = Guid.Parse(drafted.Headers.Location!.OriginalString.Split('/').Last());
        await fixture.MakePublishableAsync(id, audienceUnitCode);
        if (arrange is not null)
            await fixture.Db(async db =>
            {
                var circular = await db.Circulars.Include(c => c.Rules).Include(c => c.Sources).SingleAsync(c => c.Id == id);
                await arrange(db, circular);
                await db.SaveChangesAsync();
                return true;
            });
        (await fixture.TransitionAsync(officer, id, "submit")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var approved = await fixture.TransitionAsync(approver, id, "approve");
        approved.StatusCode.ShouldBe(HttpStatusCode.Redirect, await approved.Content.ReadAsStringAsync());
        return id;
    }

    /// <summary>An amendment: started, the text changed (when <paramref name="fields"/> are given), submitted and approved.</summary>
    public static async Task AmendAsync(this PortalFixture fixture, Guid id, string changeSummary, Dictionary<string, string>? fields = null,
        RevisionKind kind = RevisionKind.Minor)
    {
        var officer = await fixture.SignedInAs(Scenarios.Officer);
        var approver = await fixture.SignedInAs(Scenarios.Approver);
        (await fixture.TransitionAsync(officer, id, "amend")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        if (fields is not null)
        {
            var edited = await officer.PostFormAsync($"/circulars/{id}/edit",
                new Dictionary<string, string>(fields) { ["Version"] = (await fixture.VersionAsync(id)).ToString() }, $"/circulars/{id}");
            edited.StatusCode.ShouldBe(HttpStatusCode.Redirect, await edited.Content.ReadAsStringAsync());
        }
        var submitted = await fixture.TransitionAsync(officer, id, "submit",
            new() { ["ChangeSummary"] = changeSummary, ["ChangeKind"] = kind.ToString(), ["IsAmendment"] = "true" });
        submitted.StatusCode.ShouldBe(HttpStatusCode.Redirect, await submitted.Content.ReadAsStringAsync());
        var approved = await fixture.TransitionAsync(approver, id, "approve");
        approved.StatusCode.ShouldBe(HttpStatusCode.Redirect, await approved.Content.ReadAsStringAsync());
    }

    public static async Task WithdrawAsync(this PortalFixture fixture, Guid id, string reason)
    {
        var officer = await fixture.SignedInAs(Scenarios.Officer);
        var withdrawn = await fixture.TransitionAsync(officer, id, "withdraw", new() { ["Reason"] = reason });
        withdrawn.StatusCode.ShouldBe(HttpStatusCode.Redirect, await withdrawn.Content.ReadAsStringAsync());
    }

    public static async Task SupersedeAsync(this PortalFixture fixture, Guid id, Guid replacement, string reason)
    {
        var officer = await fixture.SignedInAs(Scenarios.Officer);
        var superseded = await fixture.TransitionAsync(officer, id, "supersede",
            new() { ["ReplacementReference"] = await fixture.ReferenceNumberAsync(replacement), ["Reason"] = reason });
        superseded.StatusCode.ShouldBe(HttpStatusCode.Redirect, await superseded.Content.ReadAsStringAsync());
    }

    public static Task<string> ReferenceNumberAsync(this PortalFixture fixture, Guid id) =>
        fixture.Db(db => db.Circulars.Where(c => c.Id == id).Select(c => c.ReferenceNumber!).SingleAsync());

    /// <summary>Where the provider puts a circular's document: "2026/sec_adv_2026_014.json".</summary>
    public static async Task<string> WhitePathAsync(this PortalFixture fixture, Guid id)
    {
        var reference = await fixture.ReferenceNumberAsync(id);
        return $"{reference.Split('/')[^2]}/{reference.ToLowerInvariant().Replace('/', '_')}.json";
    }
}
