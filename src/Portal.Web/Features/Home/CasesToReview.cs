using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Features.VendorCases;

namespace Portal.Web.Features.Home;

/// <summary>
/// An officer's start: vendor cases with a claim waiting for the officers (to review, or to re-test and verify), the
/// longest waiting first (docs/decisions/0073).
/// </summary>
public static class CasesToReview
{
    public sealed record Query : IRequest<Slice<Item>>;

    public sealed record Item(Guid Id, string? Reference, string Title, string Vendor, DateTimeOffset Since);

    internal sealed class Handler(PortalDbContext db) : IRequestHandler<Query, Slice<Item>>
    {
        public async ValueTask<Slice<Item>> Handle(Query request, CancellationToken ct)
        {
            var waiting = db.AwaitingOfficers(db.VendorCases.AsNoTracking());
            var first = await waiting
                .OrderBy(c => db.RemediationClaims.Where(r => r.CaseId == c.Id && (r.Status == ClaimStatus.Submitted || r.Status == ClaimStatus.PendingVerification))
                    .Min(r => r.SubmittedAt))
                .ThenBy(c => c.Id)
                .Take(Slice<Item>.Shown)
                .Select(c => new Item(c.Id,
                    db.Circulars.Where(x => x.Id == c.CircularId).Select(x => x.ReferenceNumber).First(),
                    db.Circulars.Where(x => x.Id == c.CircularId).Select(x => x.CurrentRevision!.Text.Title).First(),
                    db.VendorOrganisations.Where(v => v.Id == c.VendorOrganisationId).Select(v => v.Name).First(),
                    db.RemediationClaims.Where(r => r.CaseId == c.Id && (r.Status == ClaimStatus.Submitted || r.Status == ClaimStatus.PendingVerification))
                        .Min(r => r.SubmittedAt)))
                .ToListAsync(ct);
            return new Slice<Item>(await waiting.CountAsync(ct), first);
        }
    }
}

public sealed class CasesToReviewViewComponent(IMediator mediator) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync() =>
        View("~/Features/Home/CasesToReview.cshtml", await mediator.Send(new CasesToReview.Query()));
}
