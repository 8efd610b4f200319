using Portal.Tests.Support;
using Portal.Web.Domain;

namespace Portal.Tests;

/// <summary>What a reader meets on a circular's page and in their inbox as it is amended.</summary>
public sealed class CircularPageTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task A_material_amendment_says_what_changed_at_the_top_and_the_inbox_tracks_each_revision_asked()
    {
        var id = await fixture.PublishedCircularAsync("Amended page notice", TlpLabel.Green, "SQ110");
        var staff = await fixture.SignedInAs(Scenarios.Staff);
        (await staff.PostFormAsync($"/circulars/{id}/acknowledge", new() { ["Revision"] = "1" }, $"/circulars/{id}")).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        await fixture.AmendTextAsync(id, Scenarios.DraftFields(fixture.Clock, "Amended page notice", TlpLabel.Green)
            .With(("RequiredActions", "Stop using the phone.\nHand it to the unit security officer.")), "The vendor's update does not fix the leak.");

        var (_, page) = await staff.GetPageAsync($"/circulars/{id}");
        var changed = page.QuerySelector("article .what-changed")!;
        changed.TextContent.ShouldContain("The vendor's update does not fix the leak.");
        changed.TextContent.ShouldContain("please read it again");
        changed.QuerySelector("a")!.GetAttribute("href").ShouldBe($"/circulars/{id}/diff?from=1&to=2");
        page.QuerySelector(".ack-status a")!.GetAttribute("href").ShouldBe("#ack-title");

        async Task<Dictionary<int, string>> InboxStates() =>
            (await staff.GetPageAsync("/inbox")).Page.QuerySelectorAll(".inbox li")
                .Where(li => li.TextContent.Contains("Amended page notice"))
                .ToDictionary(li => li.TextContent.Contains("revision 2") ? 2 : 1, li => li.QuerySelector(".ack-state")!.TextContent.Trim());
        var before = await InboxStates();
        before[1].ShouldBe("· acknowledged");
        before[2].ShouldBe("· not yet acknowledged");

        (await staff.PostFormAsync($"/circulars/{id}/acknowledge", new() { ["Revision"] = "2" }, $"/circulars/{id}")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await InboxStates()).Values.ShouldAllBe(state => state == "· acknowledged");
    }

    [Fact]
    public async Task The_acknowledgement_box_says_what_acknowledging_means_and_follows_the_text()
    {
        var id = await fixture.PublishedCircularAsync("Boxed notice", TlpLabel.Green, "SQ110");
        var staff = await fixture.SignedInAs(Scenarios.Staff);

        var (_, page) = await staff.GetPageAsync($"/circulars/{id}");
        var box = page.QuerySelector(".ack-box")!;
        box.TextContent.ShouldContain("you will carry out its required actions by");
        var order = page.QuerySelectorAll("article h2").Select(h => h.TextContent).ToList();
        order.IndexOf("Your acknowledgement").ShouldBeGreaterThan(order.IndexOf("References"));
    }

    [Fact]
    public async Task Status_names_read_as_words_and_typed_lines_stay_lines()
    {
        var officer = await fixture.SignedInAs(Scenarios.Officer);
        var fields = Scenarios.DraftFields(fixture.Clock, "Worded notice").With(("References", "CERT-In CIVN-2026-0001\nLab report 17/2026"));
        var created = await officer.PostFormAsync("/circulars/new", fields);
        var id = Guid.Parse(created.Headers.Location!.OriginalString.Split('/').Last());
        await fixture.MakePublishableAsync(id);
        (await fixture.TransitionAsync(officer, id, "submit")).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var (_, page) = await officer.GetPageAsync($"/circulars/{id}");
        page.QuerySelector("article .badge.status")!.TextContent.ShouldBe("In review");
        var references = page.QuerySelectorAll("section.section").Single(s => s.QuerySelector("h2")!.TextContent == "References");
        references.QuerySelector(".markdown")!.InnerHtml.ShouldContain("CERT-In CIVN-2026-0001<br");
    }
}
