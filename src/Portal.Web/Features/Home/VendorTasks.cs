using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Features.Circulars;
using Portal.Web.Infrastructure.Auth;

namespace Portal.Web.Features.Home;

/// <summary>
/// A vendor user's start: the published circulars naming their organisation's products, newest deadline
/// first. Vendor cases (statements, fixes, response deadlines) will add their own section beside this one.
/// </summary>
public static class VendorTasks
{
    public sealed record Query : IRequest<Slice<CircularItem>>;

    internal sealed class Handler(ICurrentUser user, PortalDbContext db) : IRequestHandler<Query, Slice<CircularItem>>
    {
        public async ValueTask<Slice<CircularItem>> Handle(Query request, CancellationToken ct)
        {
            var reader = await Reader.ForAsync(db, user, ct);
            var mine = db.Circulars.AsNoTracking().VisibleTo(reader with { ReadsDrafts = false, ReadsAllPublished = false, IsVendorOnly = true })
                .Where(c => c.Status == CircularStatus.Published);
            var first = await mine.OrderByDescending(c => c.CurrentRevision!.PublishedAt).Take(Slice<CircularItem>.Shown)
                .Select(c => new CircularItem(c.Id, c.ReferenceNumber, c.CurrentRevision!.Title, c.CurrentRevision.AcknowledgementDeadline, false))
                .ToListAsync(ct);
            return new Slice<CircularItem>(await mine.CountAsync(ct), first);
        }
    }
}

public sealed class VendorTasksViewComponent(IMediator mediator) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync() =>
        View("~/Features/Home/VendorTasks.cshtml", await mediator.Send(new VendorTasks.Query()));
}
