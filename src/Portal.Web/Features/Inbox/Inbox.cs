using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Web;
using Portal.Web.Infrastructure.Auth;
using Portal.Web.Features.Circulars;

namespace Portal.Web.Features.Inbox;

/// <summary>The signed-in staff member's in-app notices, newest first.</summary>
public static class Inbox
{
    public const int PageSize = 30;

    public sealed record Query(int Page = 1) : IRequest<Result>;

    public sealed record Row(long Id, Guid? CircularId, string? Reference, string? Title, NotificationPurpose Purpose, int Revision, DateTimeOffset At, bool Read, bool Acknowledged);

    public sealed record Result(IReadOnlyList<Row> Rows, int Unread, int Page, bool HasMore);

    internal sealed class Handler(ICurrentUser user, PortalDbContext db, PageFacts facts) : IRequestHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query request, CancellationToken ct)
        {
            // By the staff record (looked up first) or the account: each arm an indexed lookup, where a subquery in the OR scanned every notice.
            var me = user.Id;
            var staffMember = await db.StaffMembers.AsNoTracking().Where(s => s.UserId == me).Select(s => (Guid?)s.Id).FirstOrDefaultAsync(ct);
            // The channel as a literal, not a parameter: a prepared statement's generic plan can use the partial inbox indexes only then.
            var inApp = db.Notifications.AsNoTracking().Where(n => n.Channel == EF.Constant(NotificationChannel.InApp) && n.DependentId == null);
            var mine = staffMember is { } staff
                ? inApp.Where(n => n.StaffMemberId == staff || (n.StaffMemberId == null && n.UserId == me))
                : inApp.Where(n => n.StaffMemberId == null && n.UserId == me);
            var page = Math.Max(1, request.Page);
            var rows = await mine.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id)
                .Skip((page - 1) * PageSize).Take(PageSize + 1)
                .Select(n => new Row(n.Id, n.CircularId,
                    db.Circulars.Where(c => c.Id == n.CircularId).Select(c => c.ReferenceNumber).FirstOrDefault(),
                    db.CircularRevisions.Where(r => r.CircularId == n.CircularId && r.Number == n.RevisionNumber).Select(r => r.Text.Title).FirstOrDefault(),
                    n.Purpose, n.RevisionNumber, n.CreatedAt, n.ReadAt != null,
                    // Answered once the revision this notice asked about, or a later one, is acknowledged (a minor
                    // amendment's notice asks about the last material revision).
                    db.AcknowledgementRequests.Any(a => a.CircularId == n.CircularId && a.StaffMemberId == n.StaffMemberId && a.DependentId == null
                        && a.AcknowledgedRevision >= db.AcknowledgementRequests
                            .Where(x => x.CircularId == n.CircularId && x.StaffMemberId == n.StaffMemberId && x.DependentId == null
                                && x.RevisionNumber <= n.RevisionNumber).Max(x => (int?)x.RevisionNumber))))
                .ToListAsync(ct);
            var unread = await mine.CountAsync(n => n.ReadAt == null, ct);
            // The same notices UnreadCount.Sql counts, so the layout's inbox link takes this count.
            facts.HoldUnread(me, unread);
            return new Result(rows.Take(PageSize).ToList(), unread, page, rows.Count > PageSize);
        }
    }
}

/// <summary>
/// Opening a notice marks it read (a read receipt; opening twice changes nothing) and answers where it leads: its circular,
/// or for a membership escalation (no circular) the administrator's start page, which lists the waiting requests.
/// </summary>
public static class Open
{
    public sealed record Command(long Id) : ICommand<string>;

    internal sealed class Handler(ICurrentUser user, PortalDbContext db, TimeProvider clock) : ICommandHandler<Command, string>
    {
        public async ValueTask<string> Handle(Command request, CancellationToken ct)
        {
            var notice = await db.Notifications.FirstOrDefaultAsync(n => n.Id == request.Id && n.Channel == NotificationChannel.InApp
                && (db.StaffMembers.Any(s => s.Id == n.StaffMemberId && s.UserId == user.Id) || (n.StaffMemberId == null && n.UserId == user.Id)), ct)
                ?? throw new NotFoundException("The notice");
            notice.MarkRead(clock.GetUtcNow());
            await db.SaveChangesAsync(ct);
            return notice.CircularId is { } circular ? $"/circulars/{circular}" : "/#membership-requests-title";
        }
    }
}

public static class UnreadCount
{
    public sealed record Query : IRequest<int>;

    /// <summary>
    /// Unread in-app notices addressed to the person's staff record, and those addressed to the account itself (vendor
    /// users, the officers' digest): each an indexed lookup, as every page of a signed-in person shows the count. The
    /// channel is written out so that PostgreSQL can use the partial inbox indexes. $1: the account. The circular
    /// page's batch sends the same statement (docs/decisions/0062-the-circular-page-at-the-peak.md).
    /// </summary>
    public const string Sql = """
        SELECT (SELECT count(*) FROM notifications n JOIN staff_members s ON s.id = n.staff_member_id
                WHERE s.user_id = $1 AND n.channel = 'InApp' AND n.read_at IS NULL AND n.dependent_id IS NULL)
             + (SELECT count(*) FROM notifications n
                WHERE n.user_id = $1 AND n.staff_member_id IS NULL AND n.channel = 'InApp' AND n.read_at IS NULL AND n.dependent_id IS NULL)
        """;

    internal sealed class Handler(ICurrentUser user, PortalDbContext db, PageFacts facts) : IRequestHandler<Query, int>
    {
        public async ValueTask<int> Handle(Query request, CancellationToken ct)
        {
            if (facts.Unread(user.Id) is { } held)
                return held;
            var connection = (Npgsql.NpgsqlConnection)db.Database.GetDbConnection();
            await db.Database.OpenConnectionAsync(ct);
            try
            {
                await using var command = new Npgsql.NpgsqlCommand(Sql, connection) { Parameters = { new Npgsql.NpgsqlParameter { Value = user.Id } } };
                return Convert.ToInt32(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }
}
