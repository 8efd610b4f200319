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
}
