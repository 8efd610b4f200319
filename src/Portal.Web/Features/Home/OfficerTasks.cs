using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Infrastructure.Auth;

namespace Portal.Web.Features.Home;

/// <summary>
/// A security officer's start: drafts an approver returned to them, what waits in review, and circulars whose
/// e-mail or SMS could not be delivered (each leading to that circular's delivery figures).
/// </summary>
public static class OfficerTasks
{
    public sealed record Query : IRequest<Result>;

    public sealed record Failures(Guid CircularId, string? Reference, string Title, int Count);

    public sealed record Result(Slice<CircularItem> Returned, Slice<CircularItem> InReview, Slice<Failures> Undelivered);

    internal sealed class Handler(ICurrentUser user, PortalDbContext db) : IRequestHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query request, CancellationToken ct)
        {
            var returned = Returned(db, user.Id);
            var review = InReview(db);
            var failed = db.Notifications.AsNoTracking()
                .Where(n => n.CircularId != null && (n.State == NotificationState.Failed || n.State == NotificationState.Bounced))
                .GroupBy(n => n.CircularId!.Value)
                .Select(g => new { CircularId = g.Key, Count = g.Count() });
            return new Result(
                new Slice<CircularItem>(await returned.CountAsync(ct), await returned.OrderByDescending(c => c.ReturnedAt)
                    .Take(Slice<CircularItem>.Shown).Select(c => new CircularItem(c.Id, c.ReferenceNumber, c.Title, null, false)).ToListAsync(ct)),
                new Slice<CircularItem>(await review.CountAsync(ct), await review.OrderBy(c => c.SubmittedAt)
                    .Take(Slice<CircularItem>.Shown).Select(c => new CircularItem(c.Id, c.ReferenceNumber, c.Title, null, false)).ToListAsync(ct)),
                new Slice<Failures>(await failed.CountAsync(ct), await failed.OrderByDescending(f => f.Count).Take(Slice<Failures>.Shown)
                    .Join(db.Circulars, f => f.CircularId, c => c.Id, (f, c) => new Failures(c.Id, c.ReferenceNumber, c.CurrentRevision!.Title, f.Count))
                    .ToListAsync(ct)));
        }
    }

    /// <summary>Working copies an approver sent back to the officer who wrote them, still to be edited.</summary>
    public static IQueryable<Circular> Returned(PortalDbContext db, Guid officer) => db.Circulars.AsNoTracking()
        .Where(c => c.CreatedById == officer && c.ReturnReason != null && (c.Status == CircularStatus.Draft || c.Amendment == AmendmentStatus.Editing));

    /// <summary>Drafts and amendments waiting for an approver.</summary>
    public static IQueryable<Circular> InReview(PortalDbContext db) => db.Circulars.AsNoTracking()
        .Where(c => c.Status == CircularStatus.InReview || c.Amendment == AmendmentStatus.InReview);
}

public sealed class OfficerTasksViewComponent(IMediator mediator) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync() =>
        View("~/Features/Home/OfficerTasks.cshtml", await mediator.Send(new OfficerTasks.Query()));
}
