using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;

namespace Portal.Web.Features.Staleness;

/// <summary>
/// What the circular page warns officers, approvers and auditors of: the case events no amendment has considered,
/// each linking to its case, and each verified firmware fix an amendment could turn into "firmware below X".
/// </summary>
public static class Banner
{
    public sealed record Query(Guid CircularId) : IRequest<Result>;

    public sealed record Event(Guid CaseId, string Vendor, CaseEventKind Kind, DateTimeOffset OccurredAt, string Summary);

    public sealed record FirmwareFix(Guid ClaimId, string Model, string FirmwareVersion, DateOnly? ReleasedOn);

    public sealed record Result(Guid CircularId, uint Version, bool Published, AmendmentStatus Amendment, IReadOnlyList<Event> Events, IReadOnlyList<FirmwareFix> Fixes)
    {
        public bool IsStale => Events.Count > 0;
    }

    internal sealed class Handler(PortalDbContext db) : IRequestHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query request, CancellationToken ct)
        {
            var circular = await db.Circulars.AsNoTracking().Where(c => c.Id == request.CircularId)
                .Select(c => new { c.Status, c.Amendment, c.Version }).FirstOrDefaultAsync(ct);
            if (circular is null)
                return new Result(request.CircularId, 0, false, AmendmentStatus.None, [], []);
            var events = await StaleEvents.Of(db, request.CircularId).OrderBy(e => e.OccurredAt)
                .Join(db.VendorCases, e => e.CaseId, c => c.Id, (e, c) => new { e, c.VendorOrganisationId })
                .Join(db.VendorOrganisations, x => x.VendorOrganisationId, v => v.Id, (x, v) => new Event(x.e.CaseId, v.Name, x.e.Kind, x.e.OccurredAt, x.e.Summary))
                .Take(100)
                .ToListAsync(ct);
            var fixes = await FirmwareFixes.Offered(db, request.CircularId)
                .Join(db.DeviceModels, c => c.DeviceModelId, m => m.Id, (c, m) => new FirmwareFix(c.Id, m.MarketingName, c.FirmwareVersion!, c.ReleasedOn))
                .ToListAsync(ct);
            return new Result(request.CircularId, circular.Version, circular.Status == CircularStatus.Published, circular.Amendment, events, fixes);
        }
    }
}

/// <summary>Verified firmware fixes on a circular's cases whose version no rule of the working copy names yet as "firmware below".</summary>
public static class FirmwareFixes
{
    public static IQueryable<RemediationClaim> Offered(PortalDbContext db, Guid circularId) => db.RemediationClaims.AsNoTracking()
        .Where(c => c.Status == ClaimStatus.Verified && c.Kind == RemediationKind.FirmwareUpdate && c.FirmwareVersion != null
            && db.VendorCases.Any(v => v.Id == c.CaseId && v.CircularId == circularId)
            && db.CircularRules.Any(r => r.CircularId == circularId && r.DeviceModelId == c.DeviceModelId && r.FirmwareBelow != c.FirmwareVersion)
            && !db.CircularRules.Any(r => r.CircularId == circularId && r.DeviceModelId == c.DeviceModelId && r.FirmwareBelow == c.FirmwareVersion))
        .OrderBy(c => c.VerifiedAt);
}

public sealed class StaleBannerViewComponent(IMediator mediator) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(Guid circularId)
    {
        if (!StaleAccess.MaySee(UserClaimsPrincipal))
            return Content("");
        var result = await mediator.Send(new Banner.Query(circularId));
        return result.IsStale || result.Fixes.Count > 0 ? View("~/Features/Staleness/Banner.cshtml", result) : Content("");
    }
}
