using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Features.Staleness;

namespace Portal.Web.Features.Home;

/// <summary>An officer's start: how many published circulars are stale (their vendors' news not yet considered), the longest waiting first.</summary>
public static class StaleCirculars
{
    public sealed record Query : IRequest<Slice<CircularItem>>;

    internal sealed class Handler(PortalDbContext db) : IRequestHandler<Query, Slice<CircularItem>>
    {
        public async ValueTask<Slice<CircularItem>> Handle(Query request, CancellationToken ct)
        {
            var events = StaleEvents.Of(db);
            var stale = db.Circulars.AsNoTracking().Where(c => events.Any(e => e.CircularId == c.Id))
                .Select(c => new { c.Id, c.ReferenceNumber, c.CurrentRevision!.Text.Title, Since = events.Where(e => e.CircularId == c.Id).Min(e => e.OccurredAt) });
            var first = await stale.OrderBy(c => c.Since).ThenBy(c => c.Id).Take(Slice<CircularItem>.Shown).ToListAsync(ct);
            return new Slice<CircularItem>(await stale.CountAsync(ct),
                first.Select(c => new CircularItem(c.Id, c.ReferenceNumber, c.Title, DateOnly.FromDateTime(c.Since.UtcDateTime))).ToList());
        }
    }
}

public sealed class StaleCircularsViewComponent(IMediator mediator) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync() =>
        View("~/Features/Home/StaleCirculars.cshtml", await mediator.Send(new StaleCirculars.Query()));
}
