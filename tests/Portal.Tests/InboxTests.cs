using Portal.Web.Domain;

namespace Portal.Tests;

public sealed class InboxTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task Staff_find_a_new_circular_in_their_inbox_and_opening_it_marks_it_read()
    {
        var id = await fixture.PublishedCircularAsync("Inbox delivery", TlpLabel.Green, "SQ110");
        var staff = await fixture.SignedInAs(Scenarios.Staff);

        var (_, inbox) = await staff.GetPageAsync("/inbox");
        var item = inbox.QuerySelectorAll(".inbox li").Single(li => li.TextContent.Contains("Inbox delivery"));
        item.ClassList.ShouldContain("unread");
        var unreadBefore = int.Parse(inbox.QuerySelector("header .count")!.TextContent);

        var open = await staff.Http.GetAsync(item.QuerySelector("a")!.GetAttribute("href"));
        open.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        open.Headers.Location!.OriginalString.ShouldBe($"/circulars/{id}");

        var (_, after) = await staff.GetPageAsync("/inbox");
        after.QuerySelectorAll(".inbox li").Single(li => li.TextContent.Contains("Inbox delivery")).ClassList.ShouldContain("read");
        (after.QuerySelector("header .count")?.TextContent is { } count ? int.Parse(count) : 0).ShouldBe(unreadBefore - 1);
    }

    [Fact]
    public async Task Nobody_can_open_someone_elses_notice()
    {
        await fixture.PublishedCircularAsync("Not yours", TlpLabel.Green, "SQ110");
        var notice = await fixture.Db(db => db.Notifications.Where(n => n.Channel == NotificationChannel.InApp).Select(n => n.Id).FirstAsync());
        var commander = await fixture.SignedInAs(Scenarios.Commander);

        (await commander.Http.GetAsync($"/inbox/{notice}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await fixture.Db(db => db.Notifications.SingleAsync(n => n.Id == notice))).ReadAt.ShouldBeNull();
    }

    [Fact]
    public async Task A_notice_reads_as_acknowledged_once_its_revision_or_a_later_one_is_acknowledged()
    {
        var fields = Scenarios.DraftFields(fixture.Clock, "Inbox across revisions", TlpLabel.Green);
        var id = await fixture.PublishedWithAsync(fields, "SQ110");
        var staff = await fixture.SignedInAs(Scenarios.Staff);
        async Task<List<(int Revision, string State)>> StatesAsync()
        {
            var (_, inbox) = await staff.GetPageAsync("/inbox");
            return inbox.QuerySelectorAll(".inbox li").Where(li => li.TextContent.Contains("Inbox across revisions"))
                .Select(li => (int.Parse(li.QuerySelector(".hint")!.TextContent.Trim().Split(' ', ',')[1]), li.QuerySelector(".ack-state")!.TextContent.Trim()))
                .OrderBy(r => r.Item1).ToList();
        }
        async Task AcknowledgeAsync(int revision) =>
            (await staff.PostFormAsync($"/circulars/{id}/acknowledge", new() { ["Revision"] = revision.ToString() }, $"/circulars/{id}")).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        (await StatesAsync()).ShouldBe([(1, "· not yet acknowledged")]);
        await AcknowledgeAsync(1);
        (await StatesAsync()).ShouldBe([(1, "· acknowledged")]);

        // A material amendment asks again: its notice is open, the first one stays answered.
        await fixture.AmendTextAsync(id, fields.With(("RequiredActions", "Hand the phone in at the orderly room.")), "New instruction.");
        (await StatesAsync()).ShouldBe([(1, "· acknowledged"), (2, "· not yet acknowledged")]);

        // A minor amendment asks nothing new: its notice is about revision 2, answered when revision 3 is acknowledged.
        await fixture.AmendTextAsync(id, fields.With(("RequiredActions", "Hand the phone in at the orderly room today.")), "Wording.", kind: RevisionKind.Minor);
        (await StatesAsync()).ShouldBe([(1, "· acknowledged"), (2, "· not yet acknowledged"), (3, "· not yet acknowledged")]);
        await AcknowledgeAsync(3);
        (await StatesAsync()).ShouldBe([(1, "· acknowledged"), (2, "· acknowledged"), (3, "· acknowledged")]);
    }
}
