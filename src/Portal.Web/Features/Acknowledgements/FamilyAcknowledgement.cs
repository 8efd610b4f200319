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

    /// <summary><see cref="Text"/> is the current revision's text, from which the page takes what the reader's language has.</summary>
    public sealed record Result(Outcome Outcome, string Token, string Language, string? Reference = null, string? Title = null,
        CircularText? Text = null, DateTimeOffset? AcknowledgedAt = null, string? Name = null);

    internal sealed class Handler(PortalDbContext db, FamilyLinks links) : IRequestHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query request, CancellationToken ct)
        {
            var (claim, problem) = links.Read(request.Token);
            if (claim is null)
                return new Result(problem == FamilyLinks.Problem.Expired ? Outcome.Expired : Outcome.Forged, request.Token, "en");
            // Joins, and the claim's own dependent id: a subquery's First() became a window over every family member, and
            // comparing two nullable columns an OR that no index answers (docs/decisions/0064-the-circular-page-rendered-once.md).
            var row = await (
                from a in db.AcknowledgementRequests.AsNoTracking()
                join d in db.Dependents on a.DependentId equals d.Id
                join c in db.Circulars on a.CircularId equals c.Id
                where a.CircularId == claim.CircularId && a.RevisionNumber == claim.RevisionNumber && a.DependentId == claim.DependentId
                select new
                {
                    a.AcknowledgedAt,
                    Dependent = new { d.FullName, d.PreferredLanguage },
                    Circular = new
                    {
                        c.ReferenceNumber, c.Status, c.CurrentRevision!.Text.Title, c.CurrentRevision.Text,
                        LatestAsk = db.AcknowledgementRequests.Where(x => x.CircularId == claim.CircularId && x.DependentId == claim.DependentId).Max(x => x.RevisionNumber),
                    },
                })
                .FirstOrDefaultAsync(ct);
            if (row is null || row.Circular.Status is CircularStatus.Withdrawn)
                return new Result(Outcome.Gone, request.Token, "en");
            var language = row.Dependent.PreferredLanguage;
            if (row.Circular.LatestAsk > claim.RevisionNumber)
                return new Result(Outcome.Superseded, request.Token, language, row.Circular.ReferenceNumber, row.Circular.Title);
            return new Result(row.AcknowledgedAt is null ? Outcome.Open : Outcome.Acknowledged, request.Token, language,
                row.Circular.ReferenceNumber, row.Circular.Title, row.Circular.Text with { InternalNotes = null },
                row.AcknowledgedAt, row.Dependent.FullName);
        }
    }
}

/// <summary>A family member acknowledges through their link: once, for the revision that asked, recording the channel.</summary>
public static class FamilyAcknowledge
{
    public sealed record Command(string Token) : ICommand<FamilyNotice.Outcome>, IOwnTransaction;

    internal sealed class Handler(FamilyLinks links, AcknowledgementBatches batches, TimeProvider clock) : ICommandHandler<Command, FamilyNotice.Outcome>
    {
        public async ValueTask<FamilyNotice.Outcome> Handle(Command request, CancellationToken ct)
        {
            var (claim, problem) = links.Read(request.Token);
            if (claim is null)
                return problem == FamilyLinks.Problem.Expired ? FamilyNotice.Outcome.Expired : FamilyNotice.Outcome.Forged;
            // Only the latest request can be acknowledged, and only against the current revision; written with the
            // other links acknowledged at the same moment, and answered once committed.
            if (!await batches.FamilyAsync(claim, clock.GetUtcNow()))
                return FamilyNotice.Outcome.Gone;
            PortalTelemetry.Acknowledged("FamilyLink");
            return FamilyNotice.Outcome.Acknowledged;
        }
    }
}
