using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;

namespace Portal.Web.Features.Home;

/// <summary>An approver's start: the review queue, oldest submission first, since that one has waited longest.</summary>
public static class ApproverTasks
{
    public sealed record Query : IRequest<Slice<CircularItem>>;

    internal sealed class Handler(PortalDbContext db) : IRequestHandler<Query, Slice<CircularItem>>
    {
        public async ValueTask<Slice<CircularItem>> Handle(Query request, CancellationToken ct)
        {
            var review = OfficerTasks.InReview(db);
            var first = await review.OrderBy(c => c.SubmittedAt).ThenBy(c => c.Id).Take(Slice<CircularItem>.Shown)
                .Select(c => new { c.Id, c.ReferenceNumber, c.Text.Title, c.SubmittedAt }).ToListAsync(ct);
            return new Slice<CircularItem>(await review.CountAsync(ct),
                first.Select(c => new CircularItem(c.Id, c.ReferenceNumber, c.Title, c.SubmittedAt is { } at ? DateOnly.FromDateTime(at.UtcDateTime) : null)).ToList());
        }
    }
}

public sealed class ApproverTasksViewComponent(IMediator mediator) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync() =>
        View("~/Features/Home/ApproverTasks.cshtml", await mediator.Send(new ApproverTasks.Query()));
}
