using Portal.Web.Domain;
using Portal.Web.Features.Acknowledgements;
using Portal.Web.Features.Inbox;
using Portal.Web.Infrastructure.Auth;

namespace Portal.Tests;

/// <summary>
/// The circular page reads the reader's acknowledgement and unread count in its one batch, with statements written
/// for the indexes (docs/decisions/0062-the-circular-page-at-the-peak.md). What they answer must be what the plain
/// queries they replace answer, on the circular page and on every other page.
/// </summary>
public sealed class PageBatchTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private static readonly string[] People = [Scenarios.Staff, Scenarios.Commander, Scenarios.Officer, Scenarios.Approver, Scenarios.Auditor, Scenarios.Vendor];

    [Fact]
    public async Task The_unread_count_on_every_page_is_the_plain_count_of_notices_to_the_staff_record_and_to_the_account()
    {
        var id = await fixture.PublishedCircularAsync("Counted in the batch", TlpLabel.Green, "SQ110");
        var accountNotices = 0;
        foreach (var email in People)
        {
            var userId = await UserIdAsync(email);
            var expected = await fixture.Db(db => db.Notifications.CountAsync(n => n.Channel == NotificationChannel.InApp && n.ReadAt == null
                && n.DependentId == null
                && (db.StaffMembers.Any(s => s.Id == n.StaffMemberId && s.UserId == userId) || (n.StaffMemberId == null && n.UserId == userId))));
            accountNotices += await fixture.Db(db => db.Notifications.CountAsync(n => n.Channel == NotificationChannel.InApp && n.StaffMemberId == null
                && n.UserId == userId && n.ReadAt == null));
            (await AsAsync(userId, new UnreadCount.Query())).ShouldBe(expected, email);

            var client = await fixture.SignedInAs(email);
            foreach (var path in new[] { $"/circulars/{id}", "/circulars", "/inbox" })
            {
                var (_, page) = await client.GetPageAsync(path);
                (page.QuerySelector("header .count")?.TextContent is { } count ? int.Parse(count, System.Globalization.CultureInfo.InvariantCulture) : 0)
                    .ShouldBe(expected, $"{email} on {path}");
            }
        }
        accountNotices.ShouldBeGreaterThan(0, "someone has a notice addressed to the account, so that arm is counted too");
    }

    [Fact]
    public async Task The_acknowledgement_box_is_the_plain_latest_request_before_and_after_acknowledging_and_after_a_material_amendment()
    {
        var fields = Scenarios.DraftFields(fixture.Clock, "Asked in the batch");
        var id = await fixture.PublishedWithAsync(fields, "SQ110");
        var staff = await fixture.SignedInAs(Scenarios.Staff);

        await ExpectPlainAsync(id);
        var (_, page) = await staff.GetPageAsync($"/circulars/{id}");
        page.QuerySelector("form[action$='/acknowledge']").ShouldNotBeNull();

        (await staff.PostFormAsync($"/circulars/{id}/acknowledge", new() { ["Revision"] = "1" }, $"/circulars/{id}")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        await ExpectPlainAsync(id);
        (await staff.GetPageAsync($"/circulars/{id}")).Page.QuerySelector("form[action$='/acknowledge']").ShouldBeNull();

        await fixture.AmendTextAsync(id, fields.With(("Summary", "Read this again.")), "Re-tested.");
        await ExpectPlainAsync(id);
        (await staff.GetPageAsync($"/circulars/{id}")).Page.QuerySelector("form[action$='/acknowledge'] input[name='Revision']")!
            .GetAttribute("value").ShouldBe("2");
    }

    [Fact]
    public void The_unit_path_read_with_the_session_check_serves_only_the_principal_and_unit_it_was_read_for()
    {
        var unitId = Guid.NewGuid();
        var principal = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [new(System.Security.Claims.ClaimTypes.NameIdentifier, Guid.NewGuid().ToString()), new(PortalClaimTypes.UnitId, unitId.ToString())], "cookie"));
        var http = new Microsoft.AspNetCore.Http.DefaultHttpContext { User = principal };
        var user = new CurrentUser(new Microsoft.AspNetCore.Http.HttpContextAccessor { HttpContext = http });

        user.UnitPathReadWithSession.ShouldBeNull("nothing was read with the session yet: the reader looks it up");
        SessionUnit.Hold(http, new SessionUnit(principal, unitId, "/root/wing/"));
        user.UnitPathReadWithSession.ShouldBe("/root/wing/");
        SessionUnit.Hold(http, new SessionUnit(principal, Guid.NewGuid(), "/elsewhere/"));
        user.UnitPathReadWithSession.ShouldBeNull("read for another unit");
        SessionUnit.Hold(http, new SessionUnit(new System.Security.Claims.ClaimsPrincipal(principal.Identities), unitId, "/root/wing/"));
        user.UnitPathReadWithSession.ShouldBeNull("read for another principal");
        SessionUnit.Hold(http, new SessionUnit(principal, unitId, "/root/wing/"));
        user.Assume(CurrentUser.For(Guid.NewGuid(), Roles.Staff));
        user.UnitPathReadWithSession.ShouldBeNull("an assumed principal is not the one the session check read");
    }

    [Fact]
    public async Task A_pooled_context_looks_its_reader_up_again_in_its_next_lease()
    {
        // A unit of our own, first under the root, then moved under a wing between two leases of the same pooled context,
        // asked for by the same principal object (as a background job or a test that assumes one principal twice would).
        var root = await fixture.Db(db => db.Units.Where(u => u.ParentId == null).Select(u => new { u.Id, u.Path }).FirstAsync());
        var wing = await fixture.Db(db => db.Units.Where(u => u.ParentId == root.Id).OrderBy(u => u.Code).Select(u => new { u.Id, u.Path }).FirstAsync());
        var unitId = Guid.NewGuid();
        await fixture.Db(db => db.Database.ExecuteSqlAsync(
            $"INSERT INTO units (id, name, code, kind, parent_id, path, depth) VALUES ({unitId}, 'Pooled context flight', 'PCF1', 'Flight', {root.Id}, {root.Path + unitId + "/"}, 1)"));
        var principal = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [new(System.Security.Claims.ClaimTypes.NameIdentifier, Guid.NewGuid().ToString()), new(PortalClaimTypes.UnitId, unitId.ToString()),
             new(System.Security.Claims.ClaimTypes.Role, Roles.Staff)], "assumed"));

        // The pool hands its contexts out in turn (and the app's timers lease them too): lease until it is the first one again.
        async Task<(Guid Instance, int Lease, Portal.Web.Features.Circulars.Reader Reader)?> LeaseAsync(Guid? instance)
        {
            await using var scope = fixture.Factory.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<Portal.Web.Data.PortalDbContext>();
            if (instance is { } wanted && db.ContextId.InstanceId != wanted)
                return null;
            var user = scope.ServiceProvider.GetRequiredService<CurrentUser>();
            user.Assume(principal);
            return (db.ContextId.InstanceId, db.ContextId.Lease, await Portal.Web.Features.Circulars.Reader.ForAsync(db, user, CancellationToken.None));
        }

        var first = (await LeaseAsync(null))!.Value;
        first.Reader.UnitAncestry.ShouldBe([root.Id, unitId]);
        await fixture.Db(db => db.Database.ExecuteSqlAsync($"UPDATE units SET parent_id = {wing.Id}, path = {wing.Path + unitId + "/"}, depth = 2 WHERE id = {unitId}"));
        (Guid Instance, int Lease, Portal.Web.Features.Circulars.Reader Reader)? second = null;
        for (var attempt = 0; attempt < 5000 && second is null; attempt++)
            second = await LeaseAsync(first.Instance);
        second.ShouldNotBeNull("the pool handed the first context out again");
        second.Value.Lease.ShouldBeGreaterThan(first.Lease);
        second.Value.Reader.UnitAncestry.ShouldBe([root.Id, wing.Id, unitId], "the next lease reads the moved unit, not the answer kept for the last one");
    }

    /// <summary>Each person's answer through the handler equals the query it replaced (null for those not asked).</summary>
    private async Task ExpectPlainAsync(Guid circularId)
    {
        var answers = new List<MyAcknowledgement.Result?>();
        foreach (var email in People)
        {
            var userId = await UserIdAsync(email);
            var expected = await fixture.Db(db => db.AcknowledgementRequests.AsNoTracking()
                .Where(a => a.CircularId == circularId && a.DependentId == null && db.StaffMembers.Any(s => s.Id == a.StaffMemberId && s.UserId == userId))
                .OrderByDescending(a => a.RevisionNumber)
                .Select(a => new MyAcknowledgement.Result(a.RevisionNumber, a.AcknowledgedAt, a.AcknowledgedRevision,
                    db.Circulars.Where(c => c.Id == a.CircularId).Select(c => c.CurrentRevisionNumber).First(),
                    db.Circulars.Where(c => c.Id == a.CircularId).Select(c => c.CurrentRevision!.Text.AcknowledgementDeadline).First()))
                .FirstOrDefaultAsync());
            var answer = await AsAsync(userId, new MyAcknowledgement.Query(circularId));
            answer.ShouldBe(expected, email);
            answers.Add(answer);
        }
        answers.ShouldContain(a => a != null, "the staff member is asked");
        answers.ShouldContain(a => a == null, "the officer is not");
    }

    private Task<Guid> UserIdAsync(string email) => fixture.Db(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());

    private async Task<T> AsAsync<T>(Guid userId, Mediator.IRequest<T> request)
    {
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CurrentUser>().Assume(CurrentUser.For(userId, Roles.Staff));
        return await scope.ServiceProvider.GetRequiredService<Mediator.IMediator>().Send(request, CancellationToken.None);
    }
}
