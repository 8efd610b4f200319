using System.Security.Claims;
using Portal.Web.Data;
using Portal.Web.Domain;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Web;
using Portal.Web.Infrastructure.Auth;

namespace Portal.Web.Features.Circulars;

/// <summary>
/// One published revision exactly as it was published: what readers relied on at the time, whatever
/// was amended since. The print page shows the same result on paper.
/// </summary>
public static class Revision
{
    public sealed record Query(Guid Id, int Number) : IRequest<Result>;

    public sealed record Result
    {
        public required Guid CircularId { get; init; }
        public required string ReferenceNumber { get; init; }
        public required int Number { get; init; }
        public required RevisionKind Kind { get; init; }
        public required string ChangeSummary { get; init; }
        public required DateTimeOffset PublishedAt { get; init; }
        public required string ApprovedBy { get; init; }
        public required string Title { get; init; }
        public required Severity Severity { get; init; }
        public required TlpLabel Tlp { get; init; }
        public required DateOnly AcknowledgementDeadline { get; init; }
        public required IReadOnlyList<(string Title, string Text)> Sections { get; init; }
        public required bool IncludeFamilies { get; init; }
        public required string FamilySummary { get; init; }
        public required string? InternalNotes { get; init; }
        public required IReadOnlyList<RuleWords> Rules { get; init; }
        public required IReadOnlyList<PublishedSource> Sources { get; init; }

        /// <summary>Null for vendors, who do not see whom else a circular addresses.</summary>
        public required IReadOnlyList<string>? Audience { get; init; }

        public required CircularStatus Status { get; init; }
        public required int CurrentRevisionNumber { get; init; }
        public required string? ClosingReason { get; init; }
        public required DateTimeOffset? ClosedAt { get; init; }

        /// <summary>The revisions the reader may open or compare, oldest first.</summary>
        public required IReadOnlyList<int> Numbers { get; init; }

        public bool IsCurrent => Number == CurrentRevisionNumber;
    }

    internal sealed class Handler(ICurrentUser user, PortalDbContext db) : IRequestHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query request, CancellationToken ct)
        {
            var reader = await Reader.ForAsync(db, user, ct);
            var circular = await db.HeadAsync(reader, request.Id, ct);
            var revision = (await db.SnapshotsAsync(reader, circular.Id, [request.Number], ct)).SingleOrDefault()
                ?? throw new NotFoundException("The revision");
            var audience = await db.AudienceNamesAsync(reader, revision.AudienceUnitIds, ct);
            return new Result
            {
                CircularId = circular.Id,
                ReferenceNumber = revision.ReferenceNumber,
                Number = revision.Number,
                Kind = revision.Kind,
                ChangeSummary = revision.ChangeSummary,
                PublishedAt = revision.PublishedAt,
                ApprovedBy = revision.ApprovedBy,
                Title = revision.Title,
                Severity = revision.Severity,
                Tlp = revision.Tlp,
                AcknowledgementDeadline = revision.AcknowledgementDeadline,
                Sections = revision.Sections,
                IncludeFamilies = revision.IncludeFamilies,
                FamilySummary = revision.FamilySummary,
                InternalNotes = revision.InternalNotes,
                Rules = revision.Rules.Select(RuleWords.Of).ToList(),
                Sources = revision.Sources.Select(s => new PublishedSource(s.Kind, s.Identifier, s.Title, s.Url)).ToList(),
                Audience = audience is null ? null : revision.AudienceUnitIds.Select(u => audience.GetValueOrDefault(u, "A removed unit")).Order().ToList(),
                Status = circular.Status,
                CurrentRevisionNumber = circular.CurrentRevisionNumber,
                ClosingReason = circular.ClosingReason,
                ClosedAt = circular.ClosedAt,
                Numbers = await db.NumbersAsync(reader, circular.Id, ct),
            };
        }
    }
}
