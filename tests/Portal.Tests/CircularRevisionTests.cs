using System.Globalization;
using Portal.Web.Domain;

namespace Portal.Tests;

public sealed class CircularRevisionTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private const string OldSummary = "A lab found the phone sending contacts and SMS abroad.";
    private const string NewSummary = "A lab found the phone sending call logs and SMS abroad.";

    private Dictionary<string, string> Text(string title, TlpLabel tlp = TlpLabel.Green) =>
        Scenarios.DraftFields(fixture.Clock, title, tlp).With(("Summary", OldSummary), ("InternalNotes", "Source is a liaison officer; do not share."));

    /// <summary>Revision 1 with <see cref="OldSummary"/>, amended to revision 2 with <see cref="NewSummary"/>, a new title and one more rule.</summary>
    private async Task<Guid> AmendedCircularAsync(string title)
    {
        var id = await fixture.PublishedWithAsync(Text(title));
        await fixture.AmendTextAsync(id, Text(title + " (re-tested)").With(("Summary", NewSummary)), "Lab re-test: call logs, not contacts.",
            beforeSubmit: async (db, circular, officer) =>
            {
                var manufacturer = await db.Manufacturers.SingleAsync(m => m.Name == Scenarios.TestManufacturer);
                circular.AddRule(manufacturer.Id, null, "Phone Z*", [], "2.0", RuleAction.Restricted, null, officer, fixture.Clock.GetUtcNow());
            });
        return id;
    }

    [Fact]
    public async Task Revision_1_keeps_its_text_after_revision_2_is_published()
    {
        var id = await AmendedCircularAsync("Model X leaks contacts");
        var staff = await fixture.SignedInAs(Scenarios.Staff);

        var (response, first) = await staff.GetPageAsync($"/circulars/{id}/revisions/1");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        first.QuerySelector("h1")!.TextContent.ShouldBe("Model X leaks contacts");
        first.QuerySelector(".markdown")!.TextContent.ShouldContain(OldSummary);
        first.Body!.TextContent.ShouldNotContain("call logs");
        var banner = first.QuerySelector(".warning")!;
        banner.TextContent.ShouldContain("This is not the current text.");
        banner.QuerySelectorAll("a").Select(a => a.GetAttribute("href")).ShouldContain($"/circulars/{id}/revisions/2");
        first.QuerySelectorAll("table.rules tbody tr").Length.ShouldBe(1);
        first.QuerySelector("dl.meta")!.TextContent.ShouldContain("Approver");

        var (_, second) = await staff.GetPageAsync($"/circulars/{id}/revisions/2");
        second.QuerySelector("h1")!.TextContent.ShouldBe("Model X leaks contacts (re-tested)");
        second.QuerySelector(".markdown")!.TextContent.ShouldContain(NewSummary);
        second.QuerySelector(".warning").ShouldBeNull();
        second.QuerySelector("dl.meta")!.TextContent.ShouldContain("Lab re-test: call logs, not contacts.");
        second.QuerySelectorAll("table.rules tbody tr").Length.ShouldBe(2);
        // A plain GET form compares revisions, no script needed.
        var compare = second.QuerySelector("form.compare")!;
        compare.GetAttribute("method").ShouldBe("get");
        compare.GetAttribute("action").ShouldBe($"/circulars/{id}/diff");
        second.QuerySelectorAll("script").Length.ShouldBe(0);

        (await staff.Http.GetAsync($"/circulars/{id}/revisions/3")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await staff.Http.GetAsync($"/circulars/{Guid.NewGuid()}/revisions/1")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Internal_notes_of_a_revision_are_shown_to_auditors_but_never_to_staff_or_vendors()
    {
        var id = await fixture.PublishedWithAsync(Text("Vendor reads revision"));
        await fixture.Db(async db =>
        {
            // The vendor sees only circulars naming its products: name one in the published revision.
            var xiaomi = await db.VendorOrganisations.SingleAsync(v => v.Name == "Xiaomi");
            var manufacturer = await db.Manufacturers.SingleAsync(m => m.Name == Scenarios.TestManufacturer);
            db.Entry(manufacturer).Property(m => m.VendorOrganisationId).CurrentValue = xiaomi.Id;
            await db.SaveChangesAsync();
            return true;
        });
        // The security unit's notes: auditors (and officers, approvers) read them; staff do not (issue 11).
        var auditor = await fixture.SignedInAs(Scenarios.Auditor);
        var (_, auditorPage) = await auditor.GetPageAsync($"/circulars/{id}/revisions/1");
        auditorPage.QuerySelector(".internal")!.TextContent.ShouldContain("liaison officer");
        var staff = await fixture.SignedInAs(Scenarios.Staff);
        var (_, staffPage) = await staff.GetPageAsync($"/circulars/{id}/revisions/1");
        staffPage.QuerySelector(".internal").ShouldBeNull();

        var vendor = await fixture.SignedInAs(Scenarios.Vendor);
        var (response, vendorPage) = await vendor.GetPageAsync($"/circulars/{id}/revisions/1");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        vendorPage.QuerySelector(".internal").ShouldBeNull();
        vendorPage.Body!.TextContent.ShouldNotContain("liaison officer");
        vendorPage.QuerySelector("#audience-title").ShouldBeNull();
        var (_, print) = await vendor.GetPageAsync($"/circulars/{id}/revisions/1/print");
        print.Body!.TextContent.ShouldNotContain("liaison officer");
    }

    [Fact]
    public async Task The_diff_shows_removed_and_added_words_rules_and_labels()
    {
        var id = await AmendedCircularAsync("Diff sample");
        var staff = await fixture.SignedInAs(Scenarios.Auditor);

        var (response, page) = await staff.GetPageAsync($"/circulars/{id}/diff?from=1&to=2");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var summary = page.QuerySelectorAll("table.diff").First();
        summary.QuerySelector("caption")!.TextContent.ShouldStartWith("Summary");
        summary.QuerySelectorAll("td.old del").Select(d => d.TextContent).ShouldBe(["contacts"]);
        summary.QuerySelectorAll("td.new ins").Select(d => d.TextContent).ShouldBe(["call logs"]);
        summary.QuerySelector("tr.diff-changed td.ln")!.TextContent.ShouldBe("1");

        var fields = page.QuerySelector("table.fields")!;
        fields.QuerySelector("del")!.TextContent.ShouldBe("Diff sample");
        fields.QuerySelector("ins")!.TextContent.ShouldBe("Diff sample (re-tested)");
        page.QuerySelectorAll("ul.changes ins").Select(i => i.TextContent).ShouldContain(t => t.StartsWith("Rule added: Restricted: Scenario Phones models matching “Phone Z*”"));
        // Unchanged sections say so instead of repeating themselves; internal notes count for auditors.
        page.QuerySelectorAll("section h2").Select(h => h.TextContent).ShouldContain("Internal notes");
        page.QuerySelectorAll("p.muted").Select(p => p.TextContent).ShouldContain("No changes.");
    }

    [Fact]
    public async Task Long_unchanged_runs_are_folded()
    {
        var lines = Enumerable.Range(1, 20).Select(i => $"Line {i} of the background.").ToList();
        var id = await fixture.PublishedWithAsync(Text("Folding sample").With(("Background", string.Join("\n\n", lines))));
        lines[9] = "Line 10 was rewritten.";
        await fixture.AmendTextAsync(id, Text("Folding sample").With(("Background", string.Join("\n\n", lines))), "One line rewritten.");
        var staff = await fixture.SignedInAs(Scenarios.Staff);

        var (_, page) = await staff.GetPageAsync($"/circulars/{id}/diff?from=1&to=2");
        var background = page.QuerySelectorAll("table.diff").Single();
        background.QuerySelectorAll("tr.diff-changed").Length.ShouldBe(1);
        background.QuerySelectorAll("tr.diff-fold").Select(r => r.TextContent.Trim()).ShouldBe(["16 unchanged lines not shown", "18 unchanged lines not shown"]);
    }

    [Theory]
    [InlineData("", "to=2", "Choose the revision to compare from.")]
    [InlineData("from=1", "", "Choose the revision to compare with.")]
    [InlineData("from=abc", "to=2", "The revision to compare from must be a revision number, such as 1.")]
    [InlineData("from=1", "to=-2", "The revision to compare with must be a revision number, such as 2.")]
    [InlineData("from=2", "to=02", "Choose two different revisions to compare.")]
    [InlineData("from=1", "to=9", "There is no revision 9 of this circular to compare. Its revisions are 1, 2.")]
    [InlineData("from=99999999999999999999", "to=1", "The revision to compare from must be a revision number, such as 1.")]
    public async Task Bad_revisions_to_compare_get_a_clear_message(string from, string to, string message)
    {
        var id = await AmendedCircularAsync("Bad diff " + message.Length);
        var staff = await fixture.SignedInAs(Scenarios.Staff);

        var (response, page) = await staff.GetPageAsync($"/circulars/{id}/diff?{from}&{to}");
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        page.QuerySelector("main")!.TextContent.ShouldContain(message);
    }

    [Fact]
    public async Task The_print_page_has_reference_tlp_dates_and_revision_and_no_navigation()
    {
        var id = await fixture.PublishedWithAsync(Text("Print sample", TlpLabel.Amber), audienceUnitCode: "W1");
        var reference = await fixture.ReferenceNumberAsync(id);
        var staff = await fixture.SignedInAs(Scenarios.Staff);

        var (response, page) = await staff.GetPageAsync($"/circulars/{id}/revisions/1/print");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        page.Body!.ClassList.ShouldContain("tlp-page-amber");
        page.QuerySelector("h1")!.TextContent.ShouldBe("Print sample");
        var header = page.QuerySelector(".doc-header")!.TextContent;
        header.ShouldContain(reference);
        header.ShouldContain("TLP:AMBER");
        header.ShouldContain("Revision");
        header.ShouldContain("Acknowledge by");
        header.ShouldContain(fixture.Clock.GetUtcNow().UtcDateTime.AddDays(14).ToString("d MMMM yyyy", CultureInfo.InvariantCulture));
        page.QuerySelector(".doc-footer")!.TextContent.ShouldContain("TLP:AMBER");
        page.QuerySelectorAll("table.rules tbody tr").Length.ShouldBe(1);
        page.QuerySelector("nav").ShouldBeNull();
        page.QuerySelector(".site-header").ShouldBeNull();
        page.QuerySelector("form").ShouldBeNull();
        page.QuerySelectorAll("link[rel=stylesheet]").Select(l => l.GetAttribute("href")!.Split('?')[0]).ShouldBe(["/css/print.css"]);
    }

    [Fact]
    public async Task Staff_outside_the_audience_cannot_open_an_amber_revision_or_its_diff()
    {
        var id = await fixture.PublishedWithAsync(Text("Amber for 2 Wing", TlpLabel.Amber), audienceUnitCode: "W2");
        var staff = await fixture.SignedInAs(Scenarios.Staff);

        (await staff.Http.GetAsync($"/circulars/{id}/revisions/1")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await staff.Http.GetAsync($"/circulars/{id}/revisions/1/print")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await staff.Http.GetAsync($"/circulars/{id}/diff?from=1&to=2")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var auditor = await fixture.SignedInAs(Scenarios.Auditor);
        (await auditor.Http.GetAsync($"/circulars/{id}/revisions/1")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_amber_revision_stays_closed_when_a_later_revision_is_green()
    {
        var id = await fixture.PublishedWithAsync(Text("Amber then green", TlpLabel.Amber), audienceUnitCode: "W2");
        await fixture.AmendTextAsync(id, Text("Amber then green", TlpLabel.Green), "Released to everyone.");
        var staff = await fixture.SignedInAs(Scenarios.Staff);

        (await staff.Http.GetAsync($"/circulars/{id}/revisions/2")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await staff.Http.GetAsync($"/circulars/{id}/revisions/1")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var (diff, page) = await staff.GetPageAsync($"/circulars/{id}/diff?from=1&to=2");
        diff.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        page.QuerySelector("main")!.TextContent.ShouldContain("There is no revision 1 of this circular to compare. Its revisions are 2.");
    }
}
