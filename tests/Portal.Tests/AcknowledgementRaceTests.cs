using Npgsql;
using Portal.Web.Infrastructure.Auth;
using Portal.Web.Domain;
using Portal.Web.Features.Acknowledgements;
using Portal.Web.Features.Circulars;

namespace Portal.Tests;

/// <summary>
/// A staff member acknowledges revision 1 of a circular around the moment a material amendment (revision 2,
/// which asks everyone again) is published. Each order is forced, not hoped for: revision 2 is never marked as
/// read by having read revision 1 (docs/decisions/0020-hardening-hostile-input-sessions-leaks.md).
/// </summary>
public sealed class AcknowledgementRaceTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private sealed record Race(Guid Id, Guid StaffUser, Guid StaffMember, Guid Approver, uint Version);

    /// <summary>Published, amended and submitted as a material amendment: approving it publishes revision 2.</summary>
    private async Task<Race> AmendmentAwaitingApprovalAsync(string title)
    {
        var staffUser = await fixture.Db(db => db.Users.Where(u => u.Email == Scenarios.Staff).Select(u => u.Id).SingleAsync());
        var staffMember = await fixture.Db(db => db.StaffMembers.Where(s => s.UserId == staffUser).Select(s => s.Id).SingleAsync());
        var approver = await fixture.Db(db => db.Users.Where(u => u.Email == Scenarios.Approver).Select(u => u.Id).SingleAsync());
        var officer = await fixture.SignedInAs(Scenarios.Officer);
        var id = await fixture.PublishedCircularAsync(title, TlpLabel.Green, "W1");
        (await fixture.TransitionAsync(officer, id, "amend")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await fixture.TransitionAsync(officer, id, "submit", new() { ["IsAmendment"] = "true", ["ChangeSummary"] = "More models.", ["ChangeKind"] = "Material" }))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);
        return new Race(id, staffUser, staffMember, approver, await fixture.VersionAsync(id));
    }

    private Task<List<AcknowledgementRequest>> RequestsAsync(Race race) =>
        fixture.Db(db => db.AcknowledgementRequests.AsNoTracking()
            .Where(a => a.CircularId == race.Id && a.StaffMemberId == race.StaffMember && a.DependentId == null)
            .OrderBy(a => a.RevisionNumber).ToListAsync());

    [Fact]
    public async Task An_acknowledgement_of_revision_1_arriving_after_revision_2_is_published_is_refused_and_records_nothing()
    {
        var race = await AmendmentAwaitingApprovalAsync("Acknowledged too late");
        await fixture.SendAsync(new Approve.Command { Id = race.Id, Version = race.Version }, CurrentUser.For(race.Approver, Roles.Approver));

        var refused = await Should.ThrowAsync<DomainException>(() =>
            fixture.SendAsync(new Acknowledge.Command { CircularId = race.Id, Revision = 1 }, CurrentUser.For(race.StaffUser, Roles.Staff)));

        refused.Message.ShouldContain("now at revision 2");
        var requests = await RequestsAsync(race);
        requests.Select(r => r.RevisionNumber).ShouldBe([1, 2]);
        requests.ShouldAllBe(r => r.AcknowledgedAt == null);
    }

    [Fact]
    public async Task An_acknowledgement_of_revision_1_in_flight_while_revision_2_is_published_is_recorded_against_revision_1()
    {
        var race = await AmendmentAwaitingApprovalAsync("Acknowledged mid-amendment");
        // Hold the revision 1 request row, so the acknowledgement passes its checks and then waits inside its one
        // UPDATE while revision 2 is published and committed; then let it go.
        await using var holder = new NpgsqlConnection(fixture.ConnectionString);
        await holder.OpenAsync();
        await using var hold = await holder.BeginTransactionAsync();
        await using (var lockRow = new NpgsqlCommand(
            "SELECT id FROM acknowledgement_requests WHERE circular_id = $1 AND staff_member_id = $2 AND dependent_id IS NULL AND revision_number = 1 FOR UPDATE",
            holder, hold) { Parameters = { new() { Value = race.Id }, new() { Value = race.StaffMember } } })
            (await lockRow.ExecuteScalarAsync()).ShouldNotBeNull();

        var acknowledging = Task.Run(() => fixture.SendAsync(new Acknowledge.Command { CircularId = race.Id, Revision = 1 }, CurrentUser.For(race.StaffUser, Roles.Staff)));
        await WaitUntilBlockedAsync(holder.ProcessID, acknowledging);
        await fixture.SendAsync(new Approve.Command { Id = race.Id, Version = race.Version }, CurrentUser.For(race.Approver, Roles.Approver));
        (await fixture.Db(db => db.Circulars.Where(c => c.Id == race.Id).Select(c => c.CurrentRevisionNumber).SingleAsync())).ShouldBe(2);
        await hold.CommitAsync();
        await acknowledging;

        var requests = await RequestsAsync(race);
        requests.Select(r => r.RevisionNumber).ShouldBe([1, 2]);
        requests[0].AcknowledgedRevision.ShouldBe(1, "recorded against the revision read");
        requests[1].AcknowledgedAt.ShouldBeNull("revision 2 was never read");
    }

    /// <summary>Waits (on the database's own lock table, not on a timer) until a session is waiting for the holder's lock.</summary>
    private async Task WaitUntilBlockedAsync(int holderPid, Task acknowledging)
    {
        // Its own connection, outside any transaction: pg_stat_activity is read once per transaction.
        await using var watcher = new NpgsqlConnection(fixture.ConnectionString);
        await watcher.OpenAsync();
        await using var blocked = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))", watcher)
        { Parameters = { new() { Value = holderPid } } };
        while ((long)(await blocked.ExecuteScalarAsync())! == 0)
        {
            if (acknowledging.IsCompleted)
                await acknowledging; // it failed, or finished without reaching the row: show why
            acknowledging.IsCompleted.ShouldBeFalse("the acknowledgement finished without waiting for the held row");
            await Task.Delay(10);
        }
    }

    /// <summary>
    /// Clicks and links arriving together go into the same batches: a person who clicks three times at once and families
    /// whose links are opened twice at once are each recorded exactly once, and every request is answered as if alone.
    /// </summary>
    [Fact]
    public async Task Staff_clicks_and_family_links_sent_together_are_each_recorded_once()
    {
        var staffUser = await fixture.Db(db => db.Users.Where(u => u.Email == Scenarios.Staff).Select(u => u.Id).SingleAsync());
        var id = await fixture.PublishedCircularAsync("Batched together", TlpLabel.Green, "W1", families: true);
        var dependents = await fixture.Db(db => db.AcknowledgementRequests.Where(a => a.CircularId == id && a.DependentId != null)
            .Select(a => a.DependentId!.Value).ToListAsync());
        dependents.Count.ShouldBeGreaterThan(3);
        var links = fixture.Factory.Services.GetRequiredService<FamilyLinks>();
        var anonymous = fixture.Client();

        var clicks = Enumerable.Range(0, 3).Select(_ => Task.Run(() => fixture.SendAsync(new Acknowledge.Command { CircularId = id, Revision = 1 }, CurrentUser.For(staffUser, Roles.Staff))));
        var opened = dependents.Concat(dependents).Select(d => Task.Run(() => anonymous.Http.PostAsync($"/family/{links.CreateToken(id, 1, d)}", null)));
        await Task.WhenAll(clicks);
        var answers = await Task.WhenAll(opened);

        answers.ShouldAllBe(r => r.StatusCode == HttpStatusCode.Redirect);
        var rows = await fixture.Db(db => db.AcknowledgementRequests.AsNoTracking().Where(a => a.CircularId == id).ToListAsync());
        var mine = rows.Single(a => a.DependentId == null && a.AcknowledgedAt != null);
        mine.Channel.ShouldBe(AcknowledgementChannel.Portal);
        mine.AcknowledgedRevision.ShouldBe(1);
        rows.Where(a => a.DependentId != null).ShouldAllBe(a => a.AcknowledgedAt != null && a.Channel == AcknowledgementChannel.FamilyLink && a.AcknowledgedRevision == 1);
        var tallied = await fixture.Db(db => db.Database.SqlQuery<long>($"""
            SELECT coalesce(sum(staff_acknowledged + family_acknowledged), 0)::bigint AS "Value" FROM acknowledgement_tallies WHERE circular_id = {id}
            """).SingleAsync());
        tallied.ShouldBe(dependents.Count + 1);
    }
}
