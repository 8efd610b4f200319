using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Infrastructure.Auth;

namespace Portal.Web.Features.Home;

/// <summary>
/// A unit commander's start: for each open circular, how far their units (the whole subtree) have got and how
/// many are past the deadline, and the latest escalations sent to them. Counts come from the per-unit tallies
/// (docs/decisions/0007), so the page costs the same at half a million requests.
/// </summary>
public static class CommanderTasks
{
    public sealed record Query : IRequest<Result>;

    public sealed record Progress(Guid CircularId, string? Reference, string Title, DateOnly Deadline, int Asked, int Acknowledged, bool Overdue)
    {
        public int Outstanding => Asked - Acknowledged;
    }

    public sealed record Escalation(Guid CircularId, string? Reference, string Title, DateTimeOffset At);

    public sealed record Result(string? UnitName, Guid? UnitId, IReadOnlyList<Progress> Open, int OverduePeople, IReadOnlyList<Escalation> Escalations);

    internal sealed class Handler(ICurrentUser user, PortalDbContext db, TimeProvider clock) : IRequestHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query request, CancellationToken ct)
        {
            var unit = await db.Units.AsNoTracking().Where(u => u.Id == user.UnitId).Select(u => new { u.Id, u.Name, u.Path }).FirstOrDefaultAsync(ct);
            if (unit is null)
                return new Result(null, null, [], 0, []);
            var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
            var tallies = db.Set<AcknowledgementTally>().AsNoTracking();
            var open = await (
                    from t in tallies
                    join u in db.Units on t.UnitId equals u.Id
                    where u.Path.StartsWith(unit.Path)
                        && t.RevisionNumber == tallies.Where(x => x.CircularId == t.CircularId).Max(x => x.RevisionNumber)
                        && db.Circulars.Any(c => c.Id == t.CircularId && c.Status == CircularStatus.Published)
                    group t by t.CircularId into g
                    select new { CircularId = g.Key, Asked = g.Sum(t => t.StaffAsked + t.FamilyAsked), Acknowledged = g.Sum(t => t.StaffAcknowledged + t.FamilyAcknowledged) })
                .Join(db.Circulars, p => p.CircularId, c => c.Id, (p, c) => new
                {
                    p.CircularId, c.ReferenceNumber, c.CurrentRevision!.Title, c.CurrentRevision.AcknowledgementDeadline, p.Asked, p.Acknowledged,
                })
                .OrderBy(p => p.AcknowledgementDeadline).ThenBy(p => p.ReferenceNumber)
                .ToListAsync(ct);
            var rows = open.Select(p => new Progress(p.CircularId, p.ReferenceNumber, p.Title, p.AcknowledgementDeadline, p.Asked, p.Acknowledged,
                p.AcknowledgementDeadline < today)).ToList();
            var escalations = await db.Notifications.AsNoTracking()
                .Where(n => n.UserId == user.Id && n.Purpose == NotificationPurpose.Escalation && n.CircularId != null)
                .OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).Take(Slice<Escalation>.Shown)
                .Select(n => new Escalation(n.CircularId!.Value,
                    db.Circulars.Where(c => c.Id == n.CircularId).Select(c => c.ReferenceNumber).First(),
                    db.CircularRevisions.Where(r => r.CircularId == n.CircularId && r.Number == n.RevisionNumber).Select(r => r.Title).First(),
                    n.CreatedAt))
                .ToListAsync(ct);
            return new Result(unit.Name, unit.Id, rows, rows.Where(r => r.Overdue).Sum(r => r.Outstanding), escalations);
        }
    }
}

public sealed class CommanderTasksViewComponent(IMediator mediator) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync()
    {
        return View("~/Features/Home/CommanderTasks.cshtml", await mediator.Send(new CommanderTasks.Query()));
    }
}
