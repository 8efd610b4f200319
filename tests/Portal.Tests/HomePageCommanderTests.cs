using Portal.Web.Domain;
using Portal.Web.Features.Notifications;

namespace Portal.Tests;

/// <summary>
/// The commander's start page after a deadline has passed (issue 14: "the people overdue, the latest escalations"), in
/// a class of its own because it moves the test clock past the deadline.
/// </summary>
public sealed class HomePageCommanderTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task Commanders_see_how_many_are_past_the_deadline_and_the_latest_escalation_leads_to_their_units_progress()
    {
        var id = await fixture.PublishedCircularAsync("Commander overdue notice", TlpLabel.Green, "W1");
        var wing = await fixture.Db(db => db.Units.Where(u => u.Code == "W1").Select(u => u.Id).SingleAsync());
        var asked = await fixture.Db(db => db.AcknowledgementRequests.CountAsync(a => a.CircularId == id));
        var commander = await fixture.SignedInAs(Scenarios.Commander);
        var (_, before) = await commander.GetPageAsync("/");
        var section = before.QuerySelector("#commander-tasks-title")!.ParentElement!;
        section.QuerySelectorAll("li").Single(li => li.TextContent.Contains("Commander overdue notice")).ClassList.ShouldNotContain("overdue");

        var deadline = await fixture.Db(db => db.Circulars.Where(c => c.Id == id).Select(c => c.CurrentRevision!.Text.AcknowledgementDeadline).SingleAsync());
        var past = new DateTimeOffset(deadline.AddDays(2).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddHours(1) - fixture.Clock.GetUtcNow();
        fixture.Clock.Advance(past);
        try
        {
            await fixture.SendAsync(new ChaseDue.Command());
            commander = await fixture.SignedInAs(Scenarios.Commander);
            var (_, after) = await commander.GetPageAsync("/");
            section = after.QuerySelector("#commander-tasks-title")!.ParentElement!;
            var line = section.QuerySelectorAll(".task-list li").First(li => li.TextContent.Contains("Commander overdue notice"));
            line.ClassList.ShouldContain("overdue");
            line.TextContent.ShouldContain($"0 of {asked} acknowledged, {asked} outstanding");
            var overdue = section.QuerySelector(".task-count")!.TextContent.Trim();
            overdue.ShouldEndWith(" acknowledgements are past their deadline.");
            int.Parse(overdue.Split(' ')[0].Replace(",", "", StringComparison.Ordinal)).ShouldBeGreaterThanOrEqualTo(asked);

            var escalations = section.QuerySelector("h3")!;
            escalations.TextContent.ShouldBe("Latest escalations");
            escalations.NextElementSibling!.QuerySelector("li a")!.GetAttribute("href").ShouldBe($"/circulars/{id}/acknowledgements?unit={wing}");
            var (response, progress) = await commander.GetPageAsync($"/circulars/{id}/acknowledgements?unit={wing}");
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            progress.QuerySelector("h1")!.TextContent.ShouldContain("Commander overdue notice");
        }
        finally
        {
            fixture.Clock.Advance(-past);
        }
    }
}
