using Portal.Web.Domain;

namespace Portal.Tests;

public sealed class FanOutTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private sealed record Expected(int Staff, int StaffEmails, int StaffPhones, int Dependents, int DependentEmails, int DependentPhones);

    private Task<Expected> ExpectedForAsync(string unitCode) => fixture.Db(async db =>
    {
        var path = await db.Units.Where(u => u.Code == unitCode).Select(u => u.Path).SingleAsync();
        var staff = db.StaffMembers.Where(s => db.Units.Any(u => u.Id == s.UnitId && u.Path.StartsWith(path)));
        var dependents = db.Dependents.Where(d => d.ConsentToContact && staff.Any(s => s.Id == d.StaffMemberId));
        return new Expected(await staff.CountAsync(), await staff.CountAsync(s => s.Email != null), await staff.CountAsync(s => s.MobileNumber != null),
            await dependents.CountAsync(), await dependents.CountAsync(d => d.Email != null), await dependents.CountAsync(d => d.MobileNumber != null));
    });

    private Task<List<Notification>> NotificationsAsync(Guid id) => fixture.Db(db => db.Notifications.AsNoTracking().Where(n => n.CircularId == id).ToListAsync());

    private Task<List<AcknowledgementRequest>> RequestsAsync(Guid id) => fixture.Db(db => db.AcknowledgementRequests.AsNoTracking().Where(a => a.CircularId == id).ToListAsync());

    [Fact]
    public async Task Requests_and_notifications_can_only_name_a_revision_that_exists()
    {
        var id = await fixture.PublishedCircularAsync("Revision keys", TlpLabel.Green, "SQ110");
        var staffMemberId = (await RequestsAsync(id)).First().StaffMemberId;
        var unitId = (await RequestsAsync(id)).First().UnitId;

        var request = await Should.ThrowAsync<Npgsql.PostgresException>(() => fixture.Db(db => db.Database.ExecuteSqlAsync($"""
            INSERT INTO acknowledgement_requests (circular_id, revision_number, staff_member_id, unit_id, requested_at)
            VALUES ({id}, 2, {staffMemberId}, {unitId}, now())
            """)));
        var notification = await Should.ThrowAsync<Npgsql.PostgresException>(() => fixture.Db(db => db.Database.ExecuteSqlAsync($"""
            INSERT INTO notifications (circular_id, revision_number, purpose, channel, staff_member_id, unit_id, language, state, attempts, created_at)
            VALUES ({id}, 2, 'Published', 'InApp', {staffMemberId}, {unitId}, 'en', 'Sent', 0, now())
            """)));

        request.SqlState.ShouldBe("23503");
        notification.SqlState.ShouldBe("23503");
        (await RequestsAsync(id)).ShouldAllBe(r => r.RevisionNumber == 1);
    }

    [Fact]
    public async Task Publishing_to_a_wing_with_families_asks_each_staff_member_and_consenting_dependent_once()
    {
        var expected = await ExpectedForAsync("W1");
        expected.Staff.ShouldBeGreaterThan(0);
        expected.Dependents.ShouldBeGreaterThan(0);

        var id = await fixture.PublishedCircularAsync("To wing 1 and families", TlpLabel.Green, "W1", families: true);

        var requests = await RequestsAsync(id);
        requests.Count(r => r.DependentId == null).ShouldBe(expected.Staff);
        requests.Count(r => r.DependentId != null).ShouldBe(expected.Dependents);
        requests.ShouldAllBe(r => r.RevisionNumber == 1 && r.AcknowledgedAt == null);
        var notifications = await NotificationsAsync(id);
        notifications.Count(n => n.DependentId == null && n.Channel == NotificationChannel.InApp).ShouldBe(expected.Staff);
        notifications.Count(n => n.DependentId == null && n.Channel == NotificationChannel.Email).ShouldBe(expected.StaffEmails);
        notifications.Count(n => n.DependentId == null && n.Channel == NotificationChannel.Sms).ShouldBe(expected.StaffPhones);
        notifications.Count(n => n.DependentId != null && n.Channel == NotificationChannel.Email).ShouldBe(expected.DependentEmails);
        notifications.Count(n => n.DependentId != null && n.Channel == NotificationChannel.Sms).ShouldBe(expected.DependentPhones);
        notifications.Where(n => n.Channel != NotificationChannel.InApp).ShouldAllBe(n => n.State == NotificationState.Pending && n.Address != null);
        notifications.ShouldAllBe(n => n.Purpose == NotificationPurpose.Published);
    }

    [Fact]
    public async Task The_planners_statistics_count_a_publications_rows_as_soon_as_they_are_visible()
    {
        var before = await RowsAsync();

        await fixture.PublishedCircularAsync("Statistics after publishing", TlpLabel.Green, "W1", families: true);

        // Analysed in the publishing transaction (small tables are read whole, so the estimate is exact); without it
        // the estimate stays where autovacuum last left it, and dashboards opened at once are planned on that.
        var after = await RowsAsync();
        after.Counted.ShouldBeGreaterThan(before.Counted);
        after.Estimated.ShouldBe(after.Counted);
    }

    private Task<(long Counted, long Estimated)> RowsAsync() => fixture.Db(async db =>
    {
        var counted = await db.AcknowledgementRequests.LongCountAsync();
        var estimated = await db.Database.SqlQuery<long>($"SELECT reltuples::bigint AS \"Value\" FROM pg_class WHERE relname = 'acknowledgement_requests'").SingleAsync();
        return (counted, estimated);
    });

    [Fact]
    public async Task Without_families_only_staff_of_the_audience_are_reached()
    {
        var expected = await ExpectedForAsync("SQ110");

        var id = await fixture.PublishedCircularAsync("To squadron 110 only", TlpLabel.Green, "SQ110");

        (await RequestsAsync(id)).Count.ShouldBe(expected.Staff);
        (await NotificationsAsync(id)).ShouldAllBe(n => n.DependentId == null);
    }

    [Fact]
    public async Task A_dependent_without_consent_gets_no_request_and_no_message()
    {
        var refusing = await fixture.Db(db => db.Dependents.Where(d => !d.ConsentToContact).Select(d => d.Id).ToListAsync());
        refusing.ShouldNotBeEmpty("the demo organisation should contain a dependent who has not consented");

        var id = await fixture.PublishedCircularAsync("Everyone with families", TlpLabel.Green, "AC", families: true);

        (await RequestsAsync(id)).ShouldNotContain(r => r.DependentId != null && refusing.Contains(r.DependentId.Value));
        (await NotificationsAsync(id)).ShouldNotContain(n => n.DependentId != null && refusing.Contains(n.DependentId.Value));
    }

    [Fact]
    public async Task A_material_amendment_asks_again_and_a_minor_one_only_tells()
    {
        var id = await fixture.PublishedCircularAsync("Amended twice", TlpLabel.Green, "W2");
        var staffCount = (await ExpectedForAsync("W2")).Staff;

        await AmendAsync(id, "Material");
        await AmendAsync(id, "Minor");

        var requests = await RequestsAsync(id);
        requests.Count(r => r.RevisionNumber == 1).ShouldBe(staffCount);
        requests.Count(r => r.RevisionNumber == 2).ShouldBe(staffCount);
        requests.Count(r => r.RevisionNumber == 3).ShouldBe(0);
        var inbox = (await NotificationsAsync(id)).Where(n => n.Channel == NotificationChannel.InApp).ToList();
        inbox.Count(n => n.RevisionNumber == 3 && n.Purpose == NotificationPurpose.Amended).ShouldBe(staffCount);
    }

    private async Task AmendAsync(Guid id, string kind)
    {
        var officer = await fixture.SignedInAs(Scenarios.Officer);
        (await fixture.TransitionAsync(officer, id, "amend")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await fixture.TransitionAsync(officer, id, "submit", new() { ["IsAmendment"] = "true", ["ChangeSummary"] = kind + " change.", ["ChangeKind"] = kind }))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await fixture.TransitionAsync(await fixture.SignedInAs(Scenarios.Approver), id, "approve")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }
}
