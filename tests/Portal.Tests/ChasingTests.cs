using Portal.Web.Domain;
using Portal.Web.Features.Notifications;

namespace Portal.Tests;

/// <summary>Reminders and escalations, driven by the test clock. Draft deadlines are 14 days ahead (Scenarios.DraftFields).</summary>
public sealed class ChasingTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private async Task<ChaseDue.Result> ChaseAtAsync(TimeSpan fromNow)
    {
        fixture.Factory.Clock.Advance(fromNow);
        try
        {
            return await fixture.SendAsync(new ChaseDue.Command());
        }
        finally
        {
            fixture.Factory.Clock.Advance(-fromNow);
        }
    }

    private static TimeSpan DaysFromDeadline(double days) =>
        DateTime.UtcNow.Date.AddDays(15).AddDays(days).AddHours(1) - DateTime.UtcNow;

    private Task<List<Notification>> NotificationsAsync(Guid id, NotificationPurpose purpose) =>
        fixture.Db(db => db.Notifications.AsNoTracking().Where(n => n.CircularId == id && n.Purpose == purpose).ToListAsync());

    [Fact]
    public async Task Reminders_go_only_to_those_who_have_not_acknowledged_once_per_round()
    {
        var id = await fixture.PublishedCircularAsync("Remind the slow ones", TlpLabel.Green, "W1", families: true);
        var staff = await fixture.SignedInAs(Scenarios.Staff);
        (await staff.PostFormAsync($"/circulars/{id}/acknowledge", new() { ["Revision"] = "1" }, $"/circulars/{id}")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var acknowledgedStaff = await fixture.Db(db => db.AcknowledgementRequests.Where(a => a.CircularId == id && a.AcknowledgedAt != null).Select(a => a.StaffMemberId).SingleAsync());
        var outstanding = await fixture.Db(db => db.AcknowledgementRequests.CountAsync(a => a.CircularId == id && a.AcknowledgedAt == null && a.DependentId == null));

        (await ChaseAtAsync(DaysFromDeadline(-4))).Reminders.ShouldBe(0);
        (await NotificationsAsync(id, NotificationPurpose.Reminder)).ShouldBeEmpty();

        await ChaseAtAsync(DaysFromDeadline(-3));
        var reminders = await NotificationsAsync(id, NotificationPurpose.Reminder);
        reminders.Count(n => n.Channel == NotificationChannel.InApp).ShouldBe(outstanding);
        reminders.ShouldNotContain(n => n.StaffMemberId == acknowledgedStaff && n.DependentId == null);
        reminders.ShouldContain(n => n.DependentId != null);

        await ChaseAtAsync(DaysFromDeadline(-2.5));
        (await NotificationsAsync(id, NotificationPurpose.Reminder)).Count.ShouldBe(reminders.Count);
    }

    [Fact]
    public async Task After_the_deadline_the_unit_commander_gets_one_escalation_listing_their_outstanding_people()
    {
        var id = await fixture.PublishedCircularAsync("Escalate to the wing", TlpLabel.Green, "W1");

        await ChaseAtAsync(DaysFromDeadline(1));

        var escalation = (await NotificationsAsync(id, NotificationPurpose.Escalation)).ShouldHaveSingleItem();
        escalation.Address.ShouldBe(Scenarios.Commander);
        escalation.Channel.ShouldBe(NotificationChannel.Email);
        var wing = await fixture.Db(db => db.Units.SingleAsync(u => u.Code == "W1"));
        var list = await fixture.SendAsync(new Outstanding.Query(id, wing.Id));
        list.Total.ShouldBe(await fixture.Db(db => db.AcknowledgementRequests.CountAsync(a => a.CircularId == id && a.AcknowledgedAt == null)));
        list.People.ShouldContain(p => p.Unit == "SQ110");

        await ChaseAtAsync(DaysFromDeadline(1.5));
        (await NotificationsAsync(id, NotificationPurpose.Escalation)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task No_escalation_when_everyone_in_the_commanders_units_has_acknowledged()
    {
        var id = await fixture.PublishedCircularAsync("Squadron 320 only", TlpLabel.Green, "W3");

        await ChaseAtAsync(DaysFromDeadline(1));

        (await NotificationsAsync(id, NotificationPurpose.Escalation)).ShouldBeEmpty("the only commander commands wing 1");
    }

    [Fact]
    public async Task Rounds_missed_while_the_portal_was_down_are_not_all_sent_at_once()
    {
        var id = await fixture.PublishedCircularAsync("Long outage", TlpLabel.Green, "W2");

        await ChaseAtAsync(DaysFromDeadline(8));

        var inbox = (await NotificationsAsync(id, NotificationPurpose.Reminder)).Where(n => n.Channel == NotificationChannel.InApp).ToList();
        var outstanding = await fixture.Db(db => db.AcknowledgementRequests.CountAsync(a => a.CircularId == id && a.DependentId == null));
        inbox.Count.ShouldBe(outstanding, "one reminder round (the latest), not four");
        var rounds = await fixture.Db(db => db.Database.SqlQuery<int>($"SELECT notifications AS \"Value\" FROM chase_rounds WHERE circular_id = {id} AND kind = 'Reminder' ORDER BY days_from_deadline").ToListAsync());
        rounds.Count.ShouldBe(4);
        rounds.Take(3).ShouldAllBe(n => n == 0);
    }
}
