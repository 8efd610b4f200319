using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;

namespace Portal.Web.Features.Staleness;

/// <summary>The stale circulars, the longest-waiting first, filtered by words of the reference or title and by vendor.</summary>
public static class StaleList
{
    public const int Shown = 200;

    public sealed record Query : IRequest<Result>
    {
        public string? Q { get; init; }
        public Guid? Vendor { get; init; }
    }

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator() => RuleFor(q => q.Q).MaximumLength(200).WithMessage("Keep the search to 200 characters or fewer.");
    }

    public sealed record Row(Guid CircularId, string? Reference, string Title, int Events, DateTimeOffset Oldest, DateTimeOffset Newest, IReadOnlyList<string> Vendors);

    public sealed record VendorChoice(Guid Id, string Name);

    public sealed record Result(Query Filter, int Total, IReadOnlyList<Row> Rows, IReadOnlyList<VendorChoice> Vendors);

    internal sealed class Handler(PortalDbContext db) : IRequestHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query request, CancellationToken ct)
        {
            var events = StaleEvents.Of(db);
            if (request.Vendor is { } vendor)
                events = events.Where(e => db.VendorCases.Any(c => c.Id == e.CaseId && c.VendorOrganisationId == vendor));
            var circulars = db.Circulars.AsNoTracking().Where(c => events.Any(e => e.CircularId == c.Id));
            if (request.Q?.Trim().ToLowerInvariant() is { Length: > 0 } words)
                circulars = circulars.Where(c => (c.ReferenceNumber ?? "").ToLower().Contains(words) || c.CurrentRevision!.Text.Title.ToLower().Contains(words));
            var found = circulars.Select(c => new
            {
                c.Id, c.ReferenceNumber, c.CurrentRevision!.Text.Title,
                Events = events.Count(e => e.CircularId == c.Id),
                Oldest = events.Where(e => e.CircularId == c.Id).Min(e => e.OccurredAt),
                Newest = events.Where(e => e.CircularId == c.Id).Max(e => e.OccurredAt),
            });
            var total = await found.CountAsync(ct);
            var rows = await found.OrderBy(c => c.Oldest).ThenBy(c => c.Id).Take(Shown).ToListAsync(ct);
            var ids = rows.Select(r => r.Id).ToArray();
            var vendorsOf = await events.Where(e => ids.Contains(e.CircularId))
                .Join(db.VendorCases, e => e.CaseId, c => c.Id, (e, c) => new { e.CircularId, c.VendorOrganisationId })
                .Join(db.VendorOrganisations, x => x.VendorOrganisationId, v => v.Id, (x, v) => new { x.CircularId, v.Name })
                .Distinct().ToListAsync(ct);
            var stale = StaleEvents.Of(db);
            var choices = await db.VendorOrganisations.AsNoTracking()
                .Where(v => db.VendorCases.Any(c => c.VendorOrganisationId == v.Id && stale.Any(e => e.CaseId == c.Id)))
                .OrderBy(v => v.Name).Select(v => new VendorChoice(v.Id, v.Name)).ToListAsync(ct);
            return new Result(request, total, rows.Select(r => new Row(r.Id, r.ReferenceNumber, r.Title, r.Events, r.Oldest, r.Newest,
                vendorsOf.Where(v => v.CircularId == r.Id).Select(v => v.Name).Order(StringComparer.Ordinal).ToList())).ToList(), choices);
        }
    }
}
