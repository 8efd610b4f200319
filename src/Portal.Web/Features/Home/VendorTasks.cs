using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Features.Circulars;
using Portal.Web.Features.VendorCases;
using Portal.Web.Infrastructure.Auth;

namespace Portal.Web.Features.Home;

/// <summary>
/// A vendor user's start: their organisation's open cases with the response deadlines, overdue ones first, then
/// the nearest deadline (docs/decisions/0073); and the published circulars naming their products, newest first.
/// </summary>
public static class VendorTasks
{
    public sealed record Query : IRequest<Result>;

    public sealed record CaseItem(Guid Id, string? Reference, string Title, DateOnly ResponseDueOn, bool Overdue);

    public sealed record Result(Slice<CaseItem> OpenCases, int Overdue, Slice<CircularItem> Circulars);

    internal sealed class Handler(ICurrentUser user, PortalDbContext db, TimeProvider clock) : IRequestHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query request, CancellationToken ct)
        {
            var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
            // Only the vendor's own organisation's cases, even for someone who also holds an officer's role.
            var own = user.VendorOrganisationId is { } vendor
                ? db.VendorCases.AsNoTracking().Where(c => c.VendorOrganisationId == vendor)
                : db.VendorCases.Where(_ => false);
            var open = db.Open(own);
            var overdue = db.Overdue(open, today);
            var first = await open
                .OrderByDescending(c => overdue.Any(o => o.Id == c.Id)).ThenBy(c => c.ResponseDueOn).ThenBy(c => c.Id)
                .Take(Slice<CaseItem>.Shown)
                .Select(c => new CaseItem(c.Id,
                    db.Circulars.Where(x => x.Id == c.CircularId).Select(x => x.ReferenceNumber).First(),
                    db.Circulars.Where(x => x.Id == c.CircularId).Select(x => x.CurrentRevision!.Text.Title).First(),
                    c.ResponseDueOn, overdue.Any(o => o.Id == c.Id)))
                .ToListAsync(ct);
            var cases = new Slice<CaseItem>(await open.CountAsync(ct), first);

            var reader = await Reader.ForAsync(db, user, ct);
            var mine = db.Circulars.AsNoTracking().VisibleTo(reader with { ReadsDrafts = false, ReadsAllPublished = false, IsVendorOnly = true })
                .Where(c => c.Status == CircularStatus.Published);
            var circulars = await mine.OrderByDescending(c => c.CurrentRevision!.PublishedAt).Take(Slice<CircularItem>.Shown)
                .Select(c => new CircularItem(c.Id, c.ReferenceNumber, c.CurrentRevision!.Text.Title, c.CurrentRevision.Text.AcknowledgementDeadline, false))
                .ToListAsync(ct);
            return new Result(cases, await overdue.CountAsync(ct), new Slice<CircularItem>(await mine.CountAsync(ct), circulars));
        }
    }
}

public sealed class VendorTasksViewComponent(IMediator mediator) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync() =>
        View("~/Features/Home/VendorTasks.cshtml", await mediator.Send(new VendorTasks.Query()));
}
