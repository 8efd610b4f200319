using AngleSharp.Html.Dom;
using Portal.Web.Domain;

namespace Portal.Tests;

public sealed class CircularAudienceAndSourcesTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private async Task<(PortalClient Officer, Guid Id)> DraftAsync(string title)
    {
        var officer = await fixture.SignedInAs(Scenarios.Officer);
        return (officer, await fixture.DraftAsync(officer, title));
    }

    private Task<Guid> UnitAsync(string code) => fixture.Db(db => db.Units.Where(u => u.Code == code).Select(u => u.Id).SingleAsync());

    private Task<List<Guid>> AudienceAsync(Guid id) =>
        fixture.Db(db => db.CircularAudienceUnits.Where(a => a.CircularId == id).Select(a => a.UnitId).ToListAsync());

    private Task<List<CircularSource>> SourcesAsync(Guid id) =>
        fixture.Db(db => db.CircularSources.AsNoTracking().Where(s => s.CircularId == id).ToListAsync());

    [Fact]
    public async Task Officer_adds_units_to_the_audience_and_removes_one()
    {
        var (officer, id) = await DraftAsync("Audience of two wings");
        var wing1 = await UnitAsync("W1");
        var wing2 = await UnitAsync("W2");

        var added = await fixture.TransitionAsync(officer, id, "audience", new() { ["UnitId"] = wing1.ToString() });
        added.StatusCode.ShouldBe(HttpStatusCode.Redirect, await added.Content.ReadAsStringAsync());
        added.Headers.Location!.OriginalString.ShouldBe($"/circulars/{id}/audience");
        (await fixture.TransitionAsync(officer, id, "audience", new() { ["UnitId"] = wing2.ToString() })).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        (await AudienceAsync(id)).ShouldBe([wing1, wing2], ignoreOrder: true);
        var (_, page) = await officer.GetPageAsync($"/circulars/{id}/audience");
        var rows = page.QuerySelectorAll("tbody tr").Select(tr => tr.QuerySelectorAll("td").Take(3).Select(td => td.TextContent.Trim()).ToArray()).ToList();
        rows.ShouldContain(r => r[0] == "1 Wing (W1)" && r[1] == "2" && r[2] == "10", "a wing brings its two squadrons and their staff");

        var removed = await fixture.TransitionAsync(officer, id, $"audience/{wing1}/remove");

        removed.StatusCode.ShouldBe(HttpStatusCode.Redirect, await removed.Content.ReadAsStringAsync());
        (await AudienceAsync(id)).ShouldBe([wing2]);
        var actions = await fixture.Db(db => db.AuditEvents.Where(e => e.EntityId == id).OrderBy(e => e.ChainPosition).Select(e => e.Action + " " + e.Reason).ToListAsync());
        actions.ShouldBe(["Drafted ", "AudienceUnitAdded 1 Wing (W1)", "AudienceUnitAdded 2 Wing (W2)", "AudienceUnitRemoved 1 Wing (W1)"]);
    }

    [Fact]
    public async Task A_unit_already_covered_by_its_parent_or_no_unit_at_all_is_refused()
    {
        var (officer, id) = await DraftAsync("Audience already covered");
        (await fixture.TransitionAsync(officer, id, "audience", new() { ["UnitId"] = (await UnitAsync("W1")).ToString() })).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var covered = await fixture.TransitionAsync(officer, id, "audience", new() { ["UnitId"] = (await UnitAsync("SQ110")).ToString() });
        var empty = await fixture.TransitionAsync(officer, id, "audience", new() { ["UnitId"] = "" });
        var twice = await fixture.TransitionAsync(officer, id, "audience", new() { ["UnitId"] = (await UnitAsync("W1")).ToString() });

        covered.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await covered.PageAsync()).Errors().ShouldBe(["110 Squadron is already in the audience as part of 1 Wing: a unit brings every unit below it."]);
        empty.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await empty.PageAsync()).Errors().ShouldBe(["Choose a unit."]);
        twice.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await twice.PageAsync()).Errors().ShouldBe(["That unit is already in the audience."]);
        (await AudienceAsync(id)).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task A_stale_audience_page_is_refused_with_the_conflict_message()
    {
        var (officer, id) = await DraftAsync("Stale audience");
        var seen = await fixture.VersionAsync(id);
        (await fixture.TransitionAsync(officer, id, "audience", new() { ["UnitId"] = (await UnitAsync("W1")).ToString() })).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var response = await fixture.TransitionAsync(officer, id, "audience", new() { ["UnitId"] = (await UnitAsync("W2")).ToString() }, seen);

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await response.PageAsync()).Errors().ShouldBe(["Someone else changed this record while you were editing it. Your text is kept below; reload the page to see their change, then apply yours again."]);
        (await AudienceAsync(id)).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Officer_adds_a_cert_advisory_and_a_lab_report_and_removes_one()
    {
        var (officer, id) = await DraftAsync("Sources of the finding");

        var cert = await fixture.TransitionAsync(officer, id, "sources", new()
            { ["Kind"] = "CertAdvisory", ["Identifier"] = "CIAD-2026-0099", ["Title"] = "Leaky phones", ["Url"] = "https://cert.example/advisories/CIAD-2026-0099" });
        cert.StatusCode.ShouldBe(HttpStatusCode.Redirect, await cert.Content.ReadAsStringAsync());
        cert.Headers.Location!.OriginalString.ShouldBe($"/circulars/{id}/sources");
        (await fixture.TransitionAsync(officer, id, "sources", new() { ["Kind"] = "LabReport", ["Identifier"] = "LAB/2026/200" }))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var sources = await SourcesAsync(id);
        sources.Count.ShouldBe(2);
        var advisory = sources.Single(s => s.Kind == SourceKind.CertAdvisory);
        (advisory.Identifier, advisory.Title, advisory.Url).ShouldBe(("CIAD-2026-0099", "Leaky phones", "https://cert.example/advisories/CIAD-2026-0099"));
        var lab = sources.Single(s => s.Kind == SourceKind.LabReport);
        (lab.Title, lab.Url).ShouldBe((null, null));
        var (_, details) = await officer.GetPageAsync($"/circulars/{id}");
        details.QuerySelector("a[href='https://cert.example/advisories/CIAD-2026-0099']").ShouldNotBeNull();

        (await fixture.TransitionAsync(officer, id, $"sources/{lab.Id}/remove")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await SourcesAsync(id)).ShouldHaveSingleItem().Id.ShouldBe(advisory.Id);
        var actions = await fixture.Db(db => db.AuditEvents.Where(e => e.EntityId == id).OrderBy(e => e.ChainPosition).Select(e => e.Action).ToListAsync());
        actions.ShouldBe(["Drafted", "SourceAdded", "SourceAdded", "SourceRemoved"]);
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("ftp://cert.example/advisory.pdf")]
    [InlineData("cert.example/advisory")]
    [InlineData("file:///etc/passwd")]
    public async Task A_source_address_that_is_not_http_is_refused_with_what_was_typed_kept(string url)
    {
        var (officer, id) = await DraftAsync("Bad source address " + url);

        var response = await fixture.TransitionAsync(officer, id, "sources", new()
            { ["Kind"] = "NewsReport", ["Identifier"] = "Daily News, 3 August", ["Title"] = "Phones talk home", ["Url"] = url });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var page = await response.PageAsync();
        page.Errors().ShouldBe(["Give a web address starting with https:// or http://, such as https://cert.example/advisories/42, or leave it empty."]);
        page.FieldValue("Url").ShouldBe(url);
        page.FieldValue("Identifier").ShouldBe("Daily News, 3 August");
        (page.QuerySelector("select[name=Kind] option[selected]") as IHtmlOptionElement)!.Value.ShouldBe("NewsReport");
        (await SourcesAsync(id)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_source_needs_a_kind_and_an_identifier_and_is_referenced_once()
    {
        var (officer, id) = await DraftAsync("Source fields");

        var empty = await fixture.TransitionAsync(officer, id, "sources", new() { ["Kind"] = "", ["Identifier"] = " " });
        (await fixture.TransitionAsync(officer, id, "sources", new() { ["Kind"] = "LabReport", ["Identifier"] = "LAB/1" })).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var twice = await fixture.TransitionAsync(officer, id, "sources", new() { ["Kind"] = "LabReport", ["Identifier"] = "lab/1 " });

        empty.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await empty.PageAsync()).Errors().ShouldBe(["Choose what kind of source this is.",
            "Enter the source's identifier, such as the CERT advisory id or the lab report number."], ignoreOrder: true);
        twice.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await twice.PageAsync()).Errors().ShouldBe(["\"lab/1\" is already referenced."]);
    }

    [Fact]
    public async Task The_edit_form_holds_families_family_summary_and_internal_notes()
    {
        var (officer, id) = await DraftAsync("Families included");
        var (_, form) = await officer.GetPageAsync($"/circulars/{id}/edit");
        form.QuerySelector("label[for=IncludeFamilies]").ShouldNotBeNull();
        form.QuerySelector("#FamilySummary-hint")!.TextContent.ShouldContain("plain language");
        form.QuerySelector("#InternalNotes-hint")!.TextContent.ShouldContain("never shown to vendors");

        var fields = Scenarios.DraftFields(fixture.Clock, "Families included");
        fields["Version"] = (await fixture.VersionAsync(id)).ToString();
        fields["IncludeFamilies"] = "true";
        fields["FamilySummary"] = "Please stop using this phone.";
        fields["InternalNotes"] = "Lab re-test booked.";
        var saved = await officer.PostFormAsync($"/circulars/{id}/edit", fields);

        saved.StatusCode.ShouldBe(HttpStatusCode.Redirect, await saved.Content.ReadAsStringAsync());
        var circular = await fixture.Db(db => db.Circulars.SingleAsync(c => c.Id == id));
        (circular.Text.IncludeFamilies, circular.Text.FamilySummary, circular.Text.InternalNotes).ShouldBe((true, "Please stop using this phone.", "Lab re-test booked."));
        var (_, again) = await officer.GetPageAsync($"/circulars/{id}/edit");
        (again.QuerySelector("#IncludeFamilies") as IHtmlInputElement)!.IsChecked.ShouldBeTrue();
        again.FieldValue("FamilySummary").ShouldBe("Please stop using this phone.");

        fields["Version"] = (await fixture.VersionAsync(id)).ToString();
        fields["FamilySummary"] = new string('f', 4001);
        fields["Title"] = "";
        var refused = await officer.PostFormAsync($"/circulars/{id}/edit", fields);
        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var page = await refused.PageAsync();
        page.FieldValue("FamilySummary").ShouldBe(new string('f', 4001));
        page.FieldValue("InternalNotes").ShouldBe("Lab re-test booked.");
        (page.QuerySelector("#IncludeFamilies") as IHtmlInputElement)!.IsChecked.ShouldBeTrue();
    }

    [Fact]
    public async Task The_audience_and_sources_of_a_circular_awaiting_approval_cannot_change()
    {
        var (officer, id) = await DraftAsync("Awaiting approval");
        await fixture.MakePublishableAsync(id);
        (await fixture.TransitionAsync(officer, id, "submit")).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var (_, page) = await officer.GetPageAsync($"/circulars/{id}/audience");
        page.QuerySelector(".warning")!.TextContent.ShouldBe("Only a draft can be edited; this circular is awaiting approval.");
        var response = await fixture.TransitionAsync(officer, id, "sources", new() { ["Kind"] = "LabReport", ["Identifier"] = "LAB/2" });
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.PageAsync()).Errors().ShouldBe(["Only a draft can be edited; this circular is awaiting approval."]);
    }
}
