using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Web;

namespace Portal.Web.Features.Circulars;

/// <summary>
/// One circular. Officers and approvers see the working copy (what is being drafted or amended) with
/// its actions; everyone else sees the current published revision, and never more than they may.
/// </summary>
public static class Details
{
    public sealed record Query(Guid Id, ClaimsPrincipal User) : IRequest<Result>;

    public sealed record Content(
        string Title, Severity Severity, TlpLabel Tlp, string Summary, string Background, string RiskAssessment,
        string Impact, string RequiredActions, string References, string? InternalNotes, bool IncludeFamilies,
        string FamilySummary, DateOnly AcknowledgementDeadline);

    public sealed record SourceRow(Guid? Id, SourceKind Kind, string Identifier, string? Title, string? Url);

    public sealed record UnitRow(Guid Id, string Name, string Code);

    public sealed record RevisionRow(int Number, RevisionKind Kind, DateTimeOffset PublishedAt, string ChangeSummary, string ApprovedBy);

    public sealed record HistoryRow(DateTimeOffset OccurredAt, string Actor, string Action, string? Reason);

    public sealed record Link(Guid Id, string? ReferenceNumber, string Title);

    public sealed record Result
    {
        public required Guid Id { get; init; }
        public required string? ReferenceNumber { get; init; }
        public required CircularStatus Status { get; init; }
        public required AmendmentStatus Amendment { get; init; }
        public required uint Version { get; init; }
        public required bool IsWorkingCopy { get; init; }
        public required Content Text { get; init; }
        public required int CurrentRevisionNumber { get; init; }
        public required DateTimeOffset? FirstPublishedAt { get; init; }
        public required DateTimeOffset? LastPublishedAt { get; init; }
        public required string Author { get; init; }
        public required DateTimeOffset CreatedAt { get; init; }
        public required string Editor { get; init; }
        public required DateTimeOffset UpdatedAt { get; init; }
        public required string? SubmittedBy { get; init; }
        public required Guid? SubmittedById { get; init; }
        public required DateTimeOffset? ScheduledPublishAt { get; init; }
        public required string? ChangeSummary { get; init; }
        public required RevisionKind? ChangeKind { get; init; }
        public required string? ReturnReason { get; init; }
        public required string? ClosingReason { get; init; }
        public required DateTimeOffset? ClosedAt { get; init; }
        public required Link? SupersededBy { get; init; }
        public required IReadOnlyList<Link> Supersedes { get; init; }
        public required IReadOnlyList<RuleWords> Rules { get; init; }
        public required IReadOnlyList<UnitRow> Audience { get; init; }
        public required IReadOnlyList<SourceRow> Sources { get; init; }
        public required IReadOnlyList<RevisionRow> Revisions { get; init; }
        public required IReadOnlyList<HistoryRow> History { get; init; }
        public required IReadOnlyList<string> PublicationProblems { get; init; }
    }

    internal sealed class Handler(PortalDbContext db) : IRequestHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query request, CancellationToken ct)
        {
            var reader = await Reader.ForAsync(db, request.User, ct);
            var circular = await db.Circulars.AsNoTracking().VisibleTo(reader)
                .Include(c => c.Rules).Include(c => c.Audience).Include(c => c.Sources).Include(c => c.CurrentRevision)
                .AsSplitQuery()
                .FirstOrDefaultAsync(c => c.Id == request.Id, ct)
                ?? throw new NotFoundException("The circular");
            var working = reader.ReadsDrafts;
            var revision = circular.CurrentRevision;
            if (!working && revision is null)
                throw new NotFoundException("The circular");

            var userIds = new[] { circular.CreatedById, circular.UpdatedById, circular.SubmittedById ?? Guid.Empty };
            var names = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
            // Vendors see no audience on the page, so none in the API either.
            var unitIds = working ? circular.Audience.Select(a => a.UnitId).ToArray() : reader.IsVendorOnly ? [] : revision!.AudienceUnitIds;
            var audience = await db.Units.AsNoTracking().Where(u => unitIds.Contains(u.Id)).OrderBy(u => u.Path)
                .Select(u => new UnitRow(u.Id, u.Name, u.Code)).ToListAsync(ct);

            // Only revisions this reader may open: a circular relabelled CLEAR does not list its AMBER past to everyone.
            var revisions = await db.PublishedRevisionsVisibleTo(reader).AsNoTracking().Where(r => r.CircularId == circular.Id).OrderByDescending(r => r.Number)
                .Select(r => new RevisionRow(r.Number, r.Kind, r.PublishedAt,
                    r.ChangeSummary, db.Users.Where(u => u.Id == r.ApprovedById).Select(u => u.DisplayName).First()))
                .ToListAsync(ct);
            var history = reader.IsVendorOnly ? [] : await db.AuditEvents.AsNoTracking()
                .Where(e => e.EntityType == nameof(Circular) && e.EntityId == circular.Id).OrderBy(e => e.ChainPosition)
                .Select(e => new HistoryRow(e.OccurredAt, db.Users.Where(u => u.Id == e.ActorId).Select(u => u.DisplayName).FirstOrDefault() ?? "The scheduler", e.Action, e.Reason))
                .ToListAsync(ct);
            var supersededBy = circular.SupersededById is { } next
                ? await db.Circulars.AsNoTracking().Where(c => c.Id == next).Select(c => new Link(c.Id, c.ReferenceNumber, c.CurrentRevision!.Title)).FirstOrDefaultAsync(ct)
                : null;
            var supersedes = await db.Circulars.AsNoTracking().Where(c => c.SupersededById == circular.Id)
                .Select(c => new Link(c.Id, c.ReferenceNumber, c.CurrentRevision!.Title)).ToListAsync(ct);

            return new Result
            {
                Id = circular.Id,
                ReferenceNumber = circular.ReferenceNumber,
                Status = circular.Status,
                Amendment = working ? circular.Amendment : AmendmentStatus.None,
                Version = circular.Version,
                IsWorkingCopy = working,
                Text = working ? WorkingText(circular) : PublishedText(revision!, reader),
                CurrentRevisionNumber = circular.CurrentRevisionNumber,
                FirstPublishedAt = circular.FirstPublishedAt,
                LastPublishedAt = revision?.PublishedAt,
                // Who drafted and edited, and when, belong to the working copy: the API answers what the page shows.
                Author = working ? names.GetValueOrDefault(circular.CreatedById, "?") : "",
                CreatedAt = working ? circular.CreatedAt : circular.FirstPublishedAt ?? revision!.PublishedAt,
                Editor = working ? names.GetValueOrDefault(circular.UpdatedById, "?") : "",
                UpdatedAt = working ? circular.UpdatedAt : revision!.PublishedAt,
                SubmittedBy = working && circular.SubmittedById is { } s ? names.GetValueOrDefault(s) : null,
                SubmittedById = working ? circular.SubmittedById : null,
                ScheduledPublishAt = circular.ScheduledPublishAt,
                ChangeSummary = working ? circular.ChangeSummary : null,
                ChangeKind = working ? circular.ChangeKind : null,
                ReturnReason = working ? circular.ReturnReason : null,
                ClosingReason = circular.ClosingReason,
                ClosedAt = circular.ClosedAt,
                SupersededBy = supersededBy,
                Supersedes = supersedes,
                Rules = working ? await WorkingRulesAsync(circular, ct) : revision!.Rules.Select(RuleWords.Of).ToList(),
                Audience = audience,
                Sources = working
                    ? circular.Sources.Select(s => new SourceRow(s.Id, s.Kind, s.Identifier, s.Title, s.Url)).ToList()
                    : revision!.Sources.Select(s => new SourceRow(null, s.Kind, s.Identifier, s.Title, s.Url)).ToList(),
                Revisions = revisions,
                History = history,
                PublicationProblems = working ? circular.PublicationProblems() : [],
            };
        }

        private static Content WorkingText(Circular c) => new(c.Title, c.Severity, c.Tlp, c.Summary, c.Background, c.RiskAssessment,
            c.Impact, c.RequiredActions, c.References, c.InternalNotes, c.IncludeFamilies, c.FamilySummary, c.AcknowledgementDeadline);

        private static Content PublishedText(CircularRevision r, Reader reader) => new(r.Title, r.Severity, r.Tlp, r.Summary, r.Background,
            r.RiskAssessment, r.Impact, r.RequiredActions, r.References, reader.SeesInternalNotes ? r.InternalNotes : null,
            r.IncludeFamilies, r.FamilySummary, r.AcknowledgementDeadline);

        private async Task<List<RuleWords>> WorkingRulesAsync(Circular circular, CancellationToken ct)
        {
            var names = await RuleNames.ForAsync(db, circular.Rules, ct);
            return circular.Rules.OrderBy(r => r.Position).Select(names.Words).ToList();
        }
    }
}
