using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Web;
using Portal.Web.Infrastructure.Auth;

namespace Portal.Web.Features.Inbox;

/// <summary>The signed-in staff member's in-app notices, newest first.</summary>
public static class Inbox
{
    public const int PageSize = 30;

    public sealed record Query(int Page = 1) : IRequest<Result>;

    public sealed record Row(long Id, Guid? CircularId, string? Reference, string? Title, NotificationPurpose Purpose, int Revision, DateTimeOffset At, bool Read, bool Acknowledged);

    public sealed record Result(IReadOnlyList<Row> Rows, int Unread, int Page, bool HasMore);

    internal sealed class Handler(ICurrentUser user, PortalDbContext db) : IRequestHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query request, CancellationToken ct)
        {
            var mine = db.Notifications.AsNoTracking().Where(n => n.Channel == NotificationChannel.InApp && n.DependentId == null
                && (db.StaffMembers.Any(s => s.Id == n.StaffMemberId && s.UserId == user.Id) || (n.StaffMemberId == null && n.UserId == user.Id)));
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

    internal sealed class Handler(ICurrentUser user, PortalDbContext db) : IRequestHandler<Query, int>
    {
        // Compiled: every page of a signed-in person shows it (docs/decisions/0060-circular-page-and-acknowledgement-storm.md).
        // Notices addressed to a staff record, and those addressed to the account itself (vendor users).
        private static readonly Func<PortalDbContext, Guid, CancellationToken, Task<int>> Unread =
            EF.CompileAsyncQuery((PortalDbContext db, Guid userId, CancellationToken ct) =>
                db.Notifications.Count(n => n.Channel == NotificationChannel.InApp && n.ReadAt == null && n.DependentId == null
                    && (db.StaffMembers.Any(s => s.Id == n.StaffMemberId && s.UserId == userId) || (n.StaffMemberId == null && n.UserId == userId))));

        public async ValueTask<int> Handle(Query request, CancellationToken ct) => await Unread(db, user.Id, ct);
    }
}
