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
            var fixes = (await FirmwareFixes.OfferedAsync(db, request.CircularId, ct))
                .Select(o => new FirmwareFix(o.Claim.Id, o.Model.MarketingName, o.Claim.FirmwareVersion!, o.Claim.ReleasedOn)).ToList();
            return new Result(request.CircularId, circular.Version, circular.Status == CircularStatus.Published, circular.Amendment, events, fixes);
        }
    }
}

/// <summary>
/// Verified firmware fixes on a circular's cases that would change a rule of its working copy: a rule reaching the fixed
/// model (by name, by pattern or TAC prefix) that does not yet cover only firmware below the fixed version.
/// </summary>
public static class FirmwareFixes
{
    public sealed record Offer(RemediationClaim Claim, DeviceModel Model, FirmwareRewrite.Plan Plan);

    public static async Task<IReadOnlyList<Offer>> OfferedAsync(PortalDbContext db, Guid circularId, CancellationToken ct, IReadOnlyCollection<CircularRule>? rules = null)
    {
        var claims = await db.RemediationClaims.AsNoTracking()
            .Where(c => c.Status == ClaimStatus.Verified && c.Kind == RemediationKind.FirmwareUpdate && c.FirmwareVersion != null
                && db.VendorCases.Any(v => v.Id == c.CaseId && v.CircularId == circularId))
            .OrderBy(c => c.VerifiedAt).ToListAsync(ct);
        if (claims.Count == 0)
            return [];
        rules ??= await db.CircularRules.AsNoTracking().Where(r => r.CircularId == circularId).ToListAsync(ct);
        var modelIds = claims.Select(c => c.DeviceModelId).Distinct().ToArray();
        var catalogue = await db.DeviceModels.AsNoTracking()
            .Where(m => db.DeviceModels.Any(x => modelIds.Contains(x.Id) && x.ManufacturerId == m.ManufacturerId)).ToListAsync(ct);
        return [.. claims.Select(c => catalogue.FirstOrDefault(m => m.Id == c.DeviceModelId) is { } model
                ? new Offer(c, model, FirmwareRewrite.For(rules, model, catalogue, c.FirmwareVersion!))
                : null)
            .OfType<Offer>().Where(o => o.Plan.Changes.Count > 0)];
    }
}

/// <summary>
/// How a verified fix of one model, firmware X, turns the working copy's rules into "firmware below X" for that model.
/// A rule naming the model, or reaching it by pattern or TAC prefix and no other catalogue model, gets the bound itself
/// (its pattern and prefixes kept). A TAC rule that also reaches other models is split: the prefixes that reach only the
/// fixed model move to a rule of their own with the bound, when what is left no longer reaches it. A rule that still
/// reaches other models too (a pattern, the whole manufacturer) cannot say "except this model": it is left, and named.
/// </summary>
public static class FirmwareRewrite
{
    /// <param name="MovedTacs">Null: the whole rule gets the bound; else these prefixes leave it for a new bounded rule.</param>
    public sealed record Change(CircularRule Rule, string[]? MovedTacs);

    public sealed record Plan(IReadOnlyList<Change> Changes, IReadOnlyList<CircularRule> Left);

    public static Plan For(IEnumerable<CircularRule> rules, DeviceModel model, IReadOnlyCollection<DeviceModel> catalogue, string version)
    {
        var others = catalogue.Where(m => m.ManufacturerId == model.ManufacturerId && m.Id != model.Id).ToList();
        var changes = new List<Change>();
        var left = new List<CircularRule>();
        foreach (var rule in rules.Where(r => r.ManufacturerId == model.ManufacturerId && r.FirmwareBelow != version && Circulars.Publication.Covers(r, model))
                     .OrderBy(r => r.Position))
        {
            if (rule.DeviceModelId == model.Id || (!rule.CoversWholeManufacturer && !others.Any(o => Circulars.Publication.Covers(rule, o))))
            {
                changes.Add(new Change(rule, null));
                continue;
            }
            bool Reaches(string prefix, DeviceModel m) => m.Tacs.Any(t => t.StartsWith(prefix, StringComparison.Ordinal));
            var moved = rule.TacPrefixes.Where(p => Reaches(p, model) && !others.Any(o => Reaches(p, o))).ToArray();
            var kept = rule.TacPrefixes.Except(moved).ToArray();
            var patternReaches = rule.ModelPattern is { } pattern
                && (CircularRule.PatternMatches(pattern, model.MarketingName) || model.ModelNumbers.Any(n => CircularRule.PatternMatches(pattern, n)));
            if (rule.DeviceModelId is null && !rule.CoversWholeManufacturer && moved.Length > 0 && !patternReaches && !kept.Any(p => Reaches(p, model)))
                changes.Add(new Change(rule, moved));
            else
                left.Add(rule);
        }
        return new Plan(changes, left);
    }
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
