using Portal.Web.Domain;
using Portal.Web.Features.Notifications;

namespace Portal.Tests;

/// <summary>Reminders and escalations, driven by the test clock. Draft deadlines are 14 days ahead (Scenarios.DraftFields).</summary>
public sealed class ChasingTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    /// <summary>Chases as the app would <paramref name="days"/> days after the end of the circular's deadline day (plus an hour).</summary>
    private async Task<ChaseDue.Result> ChaseAtAsync(Guid id, double days)
    {
        var fromNow = await DaysFromDeadlineAsync(id, days);
        fixture.Clock.Advance(fromNow);
        try
        {
            return await fixture.SendAsync(new ChaseDue.Command());
        }
        finally
        {
            fixture.Clock.Advance(-fromNow);
        }
    }

    /// <summary>From the stored deadline, not from today's date: a test running across midnight moves nothing.</summary>
    private async Task<TimeSpan> DaysFromDeadlineAsync(Guid id, double days)
    {
        var deadline = await fixture.Db(db => db.Circulars.Where(c => c.Id == id).Select(c => c.CurrentRevision!.Text.AcknowledgementDeadline).SingleAsync());
        var deadlineEnd = new DateTimeOffset(deadline.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        return deadlineEnd.AddDays(days).AddHours(1) - fixture.Clock.GetUtcNow();
    }

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

        (await ChaseAtAsync(id, -4)).Reminders.ShouldBe(0);
        (await NotificationsAsync(id, NotificationPurpose.Reminder)).ShouldBeEmpty();

        await ChaseAtAsync(id, -3);
        var reminders = await NotificationsAsync(id, NotificationPurpose.Reminder);
        reminders.Count(n => n.Channel == NotificationChannel.InApp).ShouldBe(outstanding);
        reminders.ShouldNotContain(n => n.StaffMemberId == acknowledgedStaff && n.DependentId == null);
        reminders.ShouldContain(n => n.DependentId != null);

        await ChaseAtAsync(id, -2.5);
        (await NotificationsAsync(id, NotificationPurpose.Reminder)).Count.ShouldBe(reminders.Count);
    }

    [Fact]
    public async Task After_the_deadline_the_unit_commander_gets_one_escalation_listing_their_outstanding_people()
    {
        var id = await fixture.PublishedCircularAsync("Escalate to the wing", TlpLabel.Green, "W1");

        await ChaseAtAsync(id, 1);

        var escalation = (await NotificationsAsync(id, NotificationPurpose.Escalation)).ShouldHaveSingleItem();
        escalation.Address.ShouldBe(Scenarios.Commander);
        escalation.Channel.ShouldBe(NotificationChannel.Email);
        var wing = await fixture.Db(db => db.Units.SingleAsync(u => u.Code == "W1"));
        var list = await fixture.SendAsync(new Outstanding.Query(id, wing.Id));
        list.Total.ShouldBe(await fixture.Db(db => db.AcknowledgementRequests.CountAsync(a => a.CircularId == id && a.AcknowledgedAt == null)));
        list.People.ShouldContain(p => p.Unit == "SQ110");

        await ChaseAtAsync(id, 1.5);
        (await NotificationsAsync(id, NotificationPurpose.Escalation)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task No_escalation_when_everyone_in_the_commanders_units_has_acknowledged()
    {
        var id = await fixture.PublishedCircularAsync("Squadron 320 only", TlpLabel.Green, "W3");

        await ChaseAtAsync(id, 1);

        (await NotificationsAsync(id, NotificationPurpose.Escalation)).ShouldBeEmpty("the only commander commands wing 1");
    }

    [Fact]
    public async Task Rounds_missed_while_the_portal_was_down_are_not_all_sent_at_once()
    {
        var id = await fixture.PublishedCircularAsync("Long outage", TlpLabel.Green, "W2");

        await ChaseAtAsync(id, 8);

        var inbox = (await NotificationsAsync(id, NotificationPurpose.Reminder)).Where(n => n.Channel == NotificationChannel.InApp).ToList();
        var outstanding = await fixture.Db(db => db.AcknowledgementRequests.CountAsync(a => a.CircularId == id && a.DependentId == null));
        inbox.Count.ShouldBe(outstanding, "one reminder round (the latest), not four");
        var rounds = await fixture.Db(db => db.Database.SqlQuery<int>($"SELECT notifications AS \"Value\" FROM chase_rounds WHERE circular_id = {id} AND kind = 'Reminder' ORDER BY days_from_deadline").ToListAsync());
        rounds.Count.ShouldBe(4);
        rounds.Take(3).ShouldAllBe(n => n == 0);
    }

    [Fact]
    public async Task Two_instances_chasing_at_once_send_each_reminder_once()
    {
        var id = await fixture.PublishedCircularAsync("Chased twice at once", TlpLabel.Green, "W1", families: true);
        var fromNow = await DaysFromDeadlineAsync(id, -3);
        fixture.Clock.Advance(fromNow);
        ChaseDue.Result[] results;
        try
        {
            results = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() => fixture.SendAsync(new ChaseDue.Command()))));
        }
        finally
        {
            fixture.Clock.Advance(-fromNow);
        }

        var reminders = await NotificationsAsync(id, NotificationPurpose.Reminder);
        reminders.ShouldNotBeEmpty();
        reminders.GroupBy(n => (n.StaffMemberId, n.DependentId, n.Channel)).ShouldAllBe(g => g.Count() == 1, "nobody is reminded twice");
        results.ShouldAllBe(r => r.FailedRounds == 0);
        var rounds = await fixture.Db(db => db.Database.SqlQuery<int>($"SELECT notifications AS \"Value\" FROM chase_rounds WHERE circular_id = {id} AND kind = 'Reminder'").ToListAsync());
        rounds.ShouldBe([reminders.Count], "one round, claimed once, recording what it queued");
    }

    [Fact]
    public async Task A_circular_whose_round_fails_does_not_stop_the_others_and_is_chased_on_the_next_run()
    {
        var broken = await fixture.PublishedCircularAsync("Its round fails", TlpLabel.Green, "W1");
        var healthy = await fixture.PublishedCircularAsync("Its round runs", TlpLabel.Green, "W1");
        await fixture.Db(async db =>
        {
            await db.Database.ExecuteSqlRawAsync("""
                CREATE TABLE test_refused_circulars (circular_id uuid PRIMARY KEY);
                CREATE FUNCTION test_refuse_notifications() RETURNS trigger LANGUAGE plpgsql AS $f$
                BEGIN
                    IF EXISTS (SELECT 1 FROM test_refused_circulars WHERE circular_id = NEW.circular_id) THEN
                        RAISE EXCEPTION 'the test refuses this circular''s notifications';
                    END IF;
                    RETURN NEW;
                END $f$;
                CREATE TRIGGER test_refuse_notifications BEFORE INSERT ON notifications FOR EACH ROW EXECUTE FUNCTION test_refuse_notifications();
                """);
            return await db.Database.ExecuteSqlAsync($"INSERT INTO test_refused_circulars VALUES ({broken})");
        });
        ChaseDue.Result failing;
        try
        {
            failing = await ChaseAtAsync(healthy, 1);
        }
        finally
        {
            await fixture.Db(db => db.Database.ExecuteSqlRawAsync("""
                DROP TRIGGER test_refuse_notifications ON notifications;
                DROP FUNCTION test_refuse_notifications();
                DROP TABLE test_refused_circulars;
                """));
        }

        failing.FailedRounds.ShouldBeGreaterThan(0);
        (await NotificationsAsync(healthy, NotificationPurpose.Reminder)).ShouldNotBeEmpty();
        (await NotificationsAsync(healthy, NotificationPurpose.Escalation)).ShouldHaveSingleItem();
        (await NotificationsAsync(broken, NotificationPurpose.Reminder)).ShouldBeEmpty();
        (await fixture.Db(db => db.Database.SqlQuery<long>($"SELECT count(*) AS \"Value\" FROM chase_rounds WHERE circular_id = {broken}").SingleAsync()))
            .ShouldBe(0, "the failed round's claim was rolled back with it");

        var retried = await ChaseAtAsync(broken, 1);

        retried.FailedRounds.ShouldBe(0);
        (await NotificationsAsync(broken, NotificationPurpose.Reminder)).ShouldNotBeEmpty();
        (await NotificationsAsync(broken, NotificationPurpose.Escalation)).ShouldHaveSingleItem();
    }
}
