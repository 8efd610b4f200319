using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Telemetry;

namespace Portal.Web.Features.Acknowledgements;

/// <summary>What a family member's link opens: the family summary of the current revision and whether they have acknowledged.</summary>
public static class FamilyNotice
{
    public sealed record Query(string Token) : IRequest<Result>;

    public enum Outcome { Open, Acknowledged, Forged, Expired, Superseded, Gone }

    public sealed record Result(Outcome Outcome, string Token, string Language, string? Reference = null, string? Title = null,
        string? FamilySummary = null, DateOnly? Deadline = null, DateTimeOffset? AcknowledgedAt = null, string? Name = null);

    internal sealed class Handler(PortalDbContext db, FamilyLinks links) : IRequestHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query request, CancellationToken ct)
        {
            var (claim, problem) = links.Read(request.Token);
            if (claim is null)
                return new Result(problem == FamilyLinks.Problem.Expired ? Outcome.Expired : Outcome.Forged, request.Token, "en");
            var row = await db.AcknowledgementRequests.AsNoTracking()
                .Where(a => a.CircularId == claim.CircularId && a.RevisionNumber == claim.RevisionNumber && a.DependentId == claim.DependentId)
                .Select(a => new
                {
                    a.AcknowledgedAt,
                    Dependent = db.Dependents.Where(d => d.Id == a.DependentId).Select(d => new { d.FullName, d.PreferredLanguage }).First(),
                    Circular = db.Circulars.Where(c => c.Id == a.CircularId).Select(c => new
                    {
                        c.ReferenceNumber, c.Status, c.CurrentRevision!.Title, c.CurrentRevision.FamilySummary, c.CurrentRevision.AcknowledgementDeadline,
                        LatestAsk = db.AcknowledgementRequests.Where(x => x.CircularId == c.Id && x.DependentId == a.DependentId).Max(x => x.RevisionNumber),
                    }).First(),
                })
                .FirstOrDefaultAsync(ct);
            if (row is null || row.Circular.Status is CircularStatus.Withdrawn)
                return new Result(Outcome.Gone, request.Token, "en");
            var language = row.Dependent.PreferredLanguage;
            if (row.Circular.LatestAsk > claim.RevisionNumber)
                return new Result(Outcome.Superseded, request.Token, language, row.Circular.ReferenceNumber, row.Circular.Title);
            return new Result(row.AcknowledgedAt is null ? Outcome.Open : Outcome.Acknowledged, request.Token, language,
                row.Circular.ReferenceNumber, row.Circular.Title, row.Circular.FamilySummary, row.Circular.AcknowledgementDeadline,
                row.AcknowledgedAt, row.Dependent.FullName);
        }
    }
}

/// <summary>A family member acknowledges through their link: once, for the revision that asked, recording the channel.</summary>
public static class FamilyAcknowledge
{
    public sealed record Command(string Token) : ICommand<FamilyNotice.Outcome>;

    internal sealed class Handler(PortalDbContext db, FamilyLinks links, TimeProvider clock) : ICommandHandler<Command, FamilyNotice.Outcome>
    {
        public async ValueTask<FamilyNotice.Outcome> Handle(Command request, CancellationToken ct)
        {
            var (claim, problem) = links.Read(request.Token);
            if (claim is null)
                return problem == FamilyLinks.Problem.Expired ? FamilyNotice.Outcome.Expired : FamilyNotice.Outcome.Forged;
            // Only the latest request can be acknowledged, and only against the current revision.
            var updated = await db.Database.ExecuteSqlAsync($"""
                UPDATE acknowledgement_requests a
                SET acknowledged_at = {clock.GetUtcNow()}, acknowledged_revision = c.current_revision_number, channel = 'FamilyLink'
                FROM circulars c
                WHERE c.id = a.circular_id AND c.status IN ('Published', 'Superseded')
                  AND a.circular_id = {claim.CircularId} AND a.revision_number = {claim.RevisionNumber} AND a.dependent_id = {claim.DependentId}
                  AND a.acknowledged_at IS NULL
                  AND NOT EXISTS (SELECT 1 FROM acknowledgement_requests later
                                  WHERE later.circular_id = a.circular_id AND later.dependent_id = a.dependent_id AND later.revision_number > a.revision_number)
                """, ct);
            if (updated == 1)
            {
                PortalTelemetry.Acknowledged("FamilyLink");
                return FamilyNotice.Outcome.Acknowledged;
            }
            return FamilyNotice.Outcome.Gone;
        }
    }
}
