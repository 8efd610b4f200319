using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Infrastructure.Auth;

namespace Portal.Web.Features.Home;

/// <summary>
/// A staff member's start: circulars still waiting for their acknowledgement (earliest deadline first, so the
/// overdue ones lead) and where each family member stands. Only the latest request per circular counts:
/// a material amendment asks again, and acknowledging an older revision does not answer it.
/// </summary>
public static class StaffTasks
{
    public sealed record Query : IRequest<Result>;

    public sealed record FamilyMember(Guid Id, string Name, int Outstanding, int Acknowledged);

    public sealed record Result(bool IsStaff, Slice<CircularItem> ToAcknowledge, IReadOnlyList<FamilyMember> Family);

    internal sealed class Handler(ICurrentUser user, PortalDbContext db, TimeProvider clock) : IRequestHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query request, CancellationToken ct)
        {
            var staffId = await db.StaffMembers.AsNoTracking().Where(s => s.UserId == user.Id).Select(s => (Guid?)s.Id).FirstOrDefaultAsync(ct);
            if (staffId is null)
                return new Result(false, new Slice<CircularItem>(0, []), []);
            var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
            var open = Latest(db).Where(a => a.StaffMemberId == staffId && a.AcknowledgedAt == null
                && db.Circulars.Any(c => c.Id == a.CircularId && c.Status == CircularStatus.Published));
            var mine = open.Where(a => a.DependentId == null);
            var count = await mine.CountAsync(ct);
            var first = await mine
                .Select(a => db.Circulars.Where(c => c.Id == a.CircularId)
                    .Select(c => new { c.Id, c.ReferenceNumber, c.CurrentRevision!.Title, c.CurrentRevision.AcknowledgementDeadline }).First())
                .OrderBy(c => c.AcknowledgementDeadline).ThenBy(c => c.ReferenceNumber).Take(Slice<CircularItem>.Shown)
                .ToListAsync(ct);
            var family = await db.Dependents.AsNoTracking().Where(d => d.StaffMemberId == staffId).OrderBy(d => d.FullName)
                .Select(d => new FamilyMember(d.Id, d.FullName,
                    Latest(db).Count(a => a.DependentId == d.Id && a.AcknowledgedAt == null
                        && db.Circulars.Any(c => c.Id == a.CircularId && c.Status == CircularStatus.Published)),
                    Latest(db).Count(a => a.DependentId == d.Id && a.AcknowledgedAt != null)))
                .ToListAsync(ct);
            return new Result(true, new Slice<CircularItem>(count,
                first.Select(c => new CircularItem(c.Id, c.ReferenceNumber, c.Title, c.AcknowledgementDeadline, c.AcknowledgementDeadline < today)).ToList()),
                family);
        }
    }

    /// <summary>Each recipient's newest request per circular: the one that still counts.</summary>
    internal static IQueryable<AcknowledgementRequest> Latest(PortalDbContext db) =>
        db.AcknowledgementRequests.AsNoTracking().Where(a => a.RevisionNumber == db.AcknowledgementRequests
            .Where(x => x.CircularId == a.CircularId && x.StaffMemberId == a.StaffMemberId && x.DependentId == a.DependentId)
            .Max(x => x.RevisionNumber));
}

public sealed class StaffTasksViewComponent(IMediator mediator) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync() =>
        View("~/Features/Home/StaffTasks.cshtml", await mediator.Send(new StaffTasks.Query()));
}
