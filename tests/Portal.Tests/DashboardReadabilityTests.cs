using Portal.Web.Domain;

namespace Portal.Tests;

/// <summary>The dashboard read on a phone and at a glance: failures by cause, tables a keyboard can scroll.</summary>
public sealed class DashboardReadabilityTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task Failures_with_the_same_cause_show_as_one_reason_with_its_count_and_no_address()
    {
        var id = await fixture.PublishedCircularAsync("Dashboard reasons", TlpLabel.Green, "AC", families: true);
        var failed = await fixture.Db(db => db.Database.ExecuteSqlAsync($"""
            UPDATE notifications SET state = 'Bounced', attempts = 1, next_attempt_at = NULL,
                   last_error = '550 5.1.1 <' || address || '>: Recipient address rejected'
            WHERE id IN (SELECT id FROM notifications WHERE circular_id = {id} AND channel = 'Email' AND dependent_id IS NOT NULL ORDER BY id LIMIT 3)
            """));
        failed.ShouldBe(3);
        var officer = await fixture.SignedInAs(Scenarios.Officer);

        var (_, page) = await officer.GetPageAsync($"/circulars/{id}/acknowledgements");

        var reasons = page.QuerySelectorAll("table.failure-reasons tbody tr");
        reasons.Length.ShouldBe(1);
        reasons[0].QuerySelector("th")!.TextContent.ShouldBe("550 5.1.1 <…>: Recipient address rejected");
        reasons[0].QuerySelector("td.num")!.TextContent.Trim().ShouldBe("3");
        page.QuerySelectorAll(".table-wrap").ShouldAllBe(w => w.GetAttribute("tabindex") == "0" && w.GetAttribute("role") == "region"
            && (w.HasAttribute("aria-label") || w.HasAttribute("aria-labelledby")));
    }
}
