using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Web;
using Portal.Web.Infrastructure.Auth;

namespace Portal.Web.Features.Circulars;

/// <summary>
/// One circular. Officers and approvers see the working copy (what is being drafted or amended) with
/// its actions; everyone else sees the current published revision, and never more than they may.
/// </summary>
public static class Details
{
    public sealed record Query(Guid Id) : IRequest<Result>;

    public sealed record SourceRow(Guid? Id, SourceKind Kind, string Identifier, string? Title, string? Url);

    public sealed record UnitRow(Guid Id, string Name, string Code);

    public sealed record RevisionRow(int Number, RevisionKind Kind, DateTimeOffset PublishedAt, string ChangeSummary, string ApprovedBy);

    public sealed record HistoryRow(DateTimeOffset OccurredAt, string Actor, string Action, string? Reason);

    public sealed record Link(Guid Id, string? ReferenceNumber, string Title);

    /// <summary>What the page reads per request about a published circular; the rest is the revision's, from the cache.</summary>
    internal sealed record Head(Guid Id, string? ReferenceNumber, CircularStatus Status, uint Version, Guid RevisionId, int CurrentRevisionNumber,
        DateTimeOffset? FirstPublishedAt, DateTimeOffset? ScheduledPublishAt, string? ClosingReason, DateTimeOffset? ClosedAt, List<OpenableRevision> Openable);

    internal sealed record OpenableRevision(int Number, Guid Id);

    public sealed record Result
    {
        public required Guid Id { get; init; }
        public required string? ReferenceNumber { get; init; }
        public required CircularStatus Status { get; init; }
        public required AmendmentStatus Amendment { get; init; }
        public required uint Version { get; init; }
        public required bool IsWorkingCopy { get; init; }
        public required CircularText Text { get; init; }
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

        /// <summary>For an amendment: the parts whose Hindi version is older than the English (see <see cref="CircularText.TranslationOlderThanEnglish"/>).</summary>
        public IReadOnlyList<string> TranslationOlder { get; init; } = [];

        /// <summary>What the current revision's cited evidence was seen sending where, from the cache; null for a working copy (the evidence section reads it).</summary>
        [System.Text.Json.Serialization.JsonIgnore]
        public IReadOnlyList<Evidence.Destination>? Destinations { get; init; }

        /// <summary>Renders the page's Markdown; a published revision's sections come rendered from the cache.</summary>
        [System.Text.Json.Serialization.JsonIgnore]
        public RenderedMarkdown Markdown { get; init; } = RenderedMarkdown.Live;

        /// <summary>The evidence this reader may see, read with the page's lists; null for a working copy (the evidence section reads it).</summary>
        [System.Text.Json.Serialization.JsonIgnore]
        public IReadOnlyList<Evidence.EvidenceListItem>? Evidence { get; init; }

        /// <summary>A published revision's parts of the page, rendered once per language; null for a working copy, rendered every time.</summary>
        [System.Text.Json.Serialization.JsonIgnore]
        public RenderedParts? Parts { get; init; }

        /// <summary>The page's <paramref name="markup"/> for a part that depends only on the revision and the language.</summary>
        public Task<Microsoft.AspNetCore.Html.IHtmlContent> PartAsync(string part, Func<dynamic?, object> markup) =>
            Parts is null ? RenderedParts.LiveAsync(markup) : Parts.OnceAsync(part, markup);
    }

    internal sealed class Handler(ICurrentUser user, PortalDbContext db, RevisionContentCache contents, MarkdownRenderer markdown, PageFacts facts) : IRequestHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query request, CancellationToken ct)
        {
            var reader = await Reader.ForAsync(db, user, ct);
            return reader.ReadsDrafts ? await WorkingCopyAsync(request, reader, ct) : await PublishedAsync(request, reader, ct);
        }

        /// <summary>
        /// What everyone but officers and approvers reads, at the peak of a publication: the circular as this reader
        /// may see it in one query, the revision's rendered content from the cache, and the lists around it (revisions,
        /// history, circulars it supersedes, audience names) in one batch, with the reader's acknowledgement and unread
        /// count, which the acknowledgement box and the layout's inbox link then take from <see cref="PageFacts"/>.
        /// </summary>
        private async Task<Result> PublishedAsync(Query request, Reader reader, CancellationToken ct)
        {
            var head = (reader.ReadsAsStaff ? await StaffHead(db, request.Id, reader.UnitAncestry, ct) : await HeadAsync(db, reader, request.Id, ct))
                ?? throw new NotFoundException("The circular");
            var content = await contents.GetAsync(db, head.RevisionId, ct);
            // The same rules as the working-copy path: vendors see no audience.
            // Evidence as EvidenceAccess.EvidenceVisibleToAsync decides for this reader: cited by a revision they may read (only
            // revisions of this circular cite its evidence: the citing trigger in migrations/0011_evidence.sql); vendors, of that,
            // only what was shared with their organisation.
            var evidence = new PageLists.EvidenceAsked(head.Openable.Select(r => r.Id).ToArray(), reader.IsVendorOnly ? user.VendorOrganisationId ?? Guid.Empty : null);
            var lists = await PageLists.ReadAsync(db, head.Id, reader.IsVendorOnly ? [] : content.AudienceUnitIds, history: !reader.IsVendorOnly, reader.UserId, evidence, ct);
            if (reader.UserId is { } me)
                facts.Hold(me, head.Id, lists.Mine, lists.Unread);
            return new Result
            {
                Id = head.Id,
                ReferenceNumber = head.ReferenceNumber,
                Status = head.Status,
                Amendment = AmendmentStatus.None,
                Version = head.Version,
                IsWorkingCopy = false,
                Text = PublishedText(content.Text, reader),
                CurrentRevisionNumber = head.CurrentRevisionNumber,
                FirstPublishedAt = head.FirstPublishedAt,
                LastPublishedAt = content.PublishedAt,
                // Who drafted and edited, and when, belong to the working copy: the API answers what the page shows.
                Author = "",
                CreatedAt = head.FirstPublishedAt ?? content.PublishedAt,
                Editor = "",
                UpdatedAt = content.PublishedAt,
                SubmittedBy = null,
                SubmittedById = null,
                ScheduledPublishAt = head.ScheduledPublishAt,
                ChangeSummary = null,
                ChangeKind = null,
                ReturnReason = null,
                ClosingReason = head.ClosingReason,
                ClosedAt = head.ClosedAt,
                SupersededBy = lists.SupersededBy,
                Supersedes = lists.Supersedes,
                Rules = content.Rules,
                Audience = lists.Audience,
                Sources = content.Sources,
                Revisions = lists.Revisions.Where(r => head.Openable.Any(o => o.Number == r.Number)).ToList(),
                History = lists.History,
                PublicationProblems = [],
                Markdown = new RenderedMarkdown(markdown, content.Html),
                Parts = content.Parts,
                Destinations = content.Destinations,
                Evidence = lists.Evidence,
            };
        }

        /// <summary>
        /// The circular as this reader may see it (through <see cref="CircularVisibility.VisibleTo"/>), with the revisions they
        /// may open (through <see cref="RevisionVisibility.PublishedRevisionsVisibleTo"/>: a circular relabelled CLEAR does not
        /// list its AMBER past).
        /// </summary>
        internal static Task<Head?> HeadAsync(PortalDbContext db, Reader reader, Guid id, CancellationToken ct) =>
            db.Circulars.AsNoTracking().VisibleTo(reader).Where(c => c.Id == id && c.CurrentRevisionId != null)
                .Select(c => new Head(c.Id, c.ReferenceNumber, c.Status, c.Version, c.CurrentRevisionId!.Value, c.CurrentRevisionNumber, c.FirstPublishedAt,
                    c.ScheduledPublishAt, c.ClosingReason, c.ClosedAt,
                    db.PublishedRevisionsVisibleTo(reader).Where(r => r.CircularId == c.Id).Select(r => new OpenableRevision(r.Number, r.Id)).ToList()))
                .FirstOrDefaultAsync(ct);

        /// <summary>
        /// <see cref="HeadAsync"/> for staff and commanders, the readers of the peak, compiled: the same rule
        /// (<see cref="CircularVisibility.StaffMayReadRevision"/>, on the current revision and on each listed one) without
        /// EF's per-call walk over the query to find its parameters (docs/decisions/0059-the-circular-pages-head-compiled.md).
        /// </summary>
        internal static readonly Func<PortalDbContext, Guid, Guid[], CancellationToken, Task<Head?>> StaffHead =
            EF.CompileAsyncQuery(CircularVisibility.Expand<Func<PortalDbContext, Guid, Guid[], CancellationToken, Head?>>((db, id, ancestry, ct) =>
                db.Circulars.AsNoTracking()
                    .Where(c => c.Id == id && c.CurrentRevisionId != null && CircularVisibility.StaffMayReadRevision(c.CurrentRevision!, ancestry))
                    .Select(c => new Head(c.Id, c.ReferenceNumber, c.Status, c.Version, c.CurrentRevisionId!.Value, c.CurrentRevisionNumber, c.FirstPublishedAt,
                        c.ScheduledPublishAt, c.ClosingReason, c.ClosedAt,
                        db.CircularRevisions.Where(r => r.CircularId == c.Id && CircularVisibility.StaffMayReadRevision(r, ancestry))
                            .Select(r => new OpenableRevision(r.Number, r.Id)).ToList()))
                    .FirstOrDefault()));

        /// <summary>Officers and approvers: the working copy, with what they need to act on it.</summary>
        private async Task<Result> WorkingCopyAsync(Query request, Reader reader, CancellationToken ct)
        {
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
                ? await db.Circulars.AsNoTracking().Where(c => c.Id == next).Select(c => new Link(c.Id, c.ReferenceNumber, c.CurrentRevision!.Text.Title)).FirstOrDefaultAsync(ct)
                : null;
            var supersedes = await db.Circulars.AsNoTracking().Where(c => c.SupersededById == circular.Id)
                .Select(c => new Link(c.Id, c.ReferenceNumber, c.CurrentRevision!.Text.Title)).ToListAsync(ct);

            return new Result
            {
                Id = circular.Id,
                ReferenceNumber = circular.ReferenceNumber,
                Status = circular.Status,
                Amendment = working ? circular.Amendment : AmendmentStatus.None,
                Version = circular.Version,
                IsWorkingCopy = working,
                Text = working ? circular.Text : PublishedText(revision!.Text, reader),
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
                TranslationOlder = working && circular.Amendment != AmendmentStatus.None ? circular.Text.TranslationOlderThanEnglish(revision?.Text) : [],
                Markdown = new RenderedMarkdown(markdown),
            };
        }

        private static CircularText PublishedText(CircularText published, Reader reader) =>
            reader.SeesInternalNotes ? published : published with { InternalNotes = null };

        private async Task<List<RuleWords>> WorkingRulesAsync(Circular circular, CancellationToken ct)
        {
            var names = await RuleNames.ForAsync(db, circular.Rules, ct);
            return circular.Rules.OrderBy(r => r.Position).Select(names.Words).ToList();
        }
    }
}

/// <summary>
/// The lists around a published circular's text, read in one round trip (an Npgsql batch on the context's
/// connection) because the page is the one everybody opens at once: its revisions with their approvers, its history,
/// the circulars it supersedes and the one superseding it, its audience's unit names, the evidence its reader may see, and, for a signed-in reader,
/// their acknowledgement (<see cref="Acknowledgements.MyAcknowledgement.Sql"/>) and unread count (<see cref="Inbox.UnreadCount.Sql"/>).
/// </summary>
internal static class PageLists
{
    public sealed record Lists(List<Details.RevisionRow> Revisions, List<Details.HistoryRow> History, List<Details.Link> Supersedes,
        Details.Link? SupersededBy, List<Details.UnitRow> Audience, Acknowledgements.MyAcknowledgement.Result? Mine, int Unread,
        List<Evidence.EvidenceListItem> Evidence);

    /// <summary>Which evidence the reader may see: cited by one of these revisions and, for a vendor, shared with their organisation.</summary>
    public sealed record EvidenceAsked(Guid[] CitedByRevisionIds, Guid? SharedWithVendor);

    /// <summary>The evidence section's list, in its order: by when recorded, files by when uploaded.</summary>
    private const string EvidenceSql = """
        SELECT e.id, e.title, e.lab, e.tested_on, e.device_tested, e.cited_from_revision, e.superseded_at, f.id, f.file_name, f.sha256
        FROM evidence e LEFT JOIN evidence_files f ON f.evidence_id = e.id
        WHERE e.circular_id = $1
          AND EXISTS (SELECT 1 FROM cited_evidence c WHERE c.evidence_id = e.id AND c.revision_id = ANY($2))
          AND ($3::uuid IS NULL OR $3::uuid = ANY(e.shared_with_vendor_ids))
        ORDER BY e.recorded_at, e.id, f.uploaded_at, f.id
        """;

    public static async Task<Lists> ReadAsync(PortalDbContext db, Guid circularId, Guid[] audienceUnitIds, bool history, Guid? userId,
        EvidenceAsked evidence, CancellationToken ct)
    {
        var connection = (Npgsql.NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var batch = new Npgsql.NpgsqlBatch(connection)
            {
                BatchCommands =
                {
                    Statement("""
                        SELECT r.number, r.kind, r.published_at, r.change_summary, u.display_name
                        FROM circular_revisions r JOIN users u ON u.id = r.approved_by_id
                        WHERE r.circular_id = $1 ORDER BY r.number DESC
                        """, circularId),
                    Statement(history
                        ? """
                          SELECT e.occurred_at, coalesce(u.display_name, 'The scheduler'), e.action, e.reason
                          FROM audit_events e LEFT JOIN users u ON u.id = e.actor_id
                          WHERE e.entity_type = 'Circular' AND e.entity_id = $1 ORDER BY e.chain_position
                          """
                        : "SELECT NULL::timestamptz, NULL::text, NULL::text, NULL::text WHERE $1::uuid IS NULL", circularId),
                    Statement("""
                        SELECT c.id, c.reference_number, coalesce(r.title, c.title)
                        FROM circulars c LEFT JOIN circular_revisions r ON r.id = c.current_revision_id
                        WHERE c.superseded_by_id = $1
                        """, circularId),
                    Statement("""
                        SELECT c.id, c.reference_number, coalesce(r.title, c.title)
                        FROM circulars c LEFT JOIN circular_revisions r ON r.id = c.current_revision_id
                        WHERE c.id = (SELECT superseded_by_id FROM circulars WHERE id = $1)
                        """, circularId),
                    Statement("SELECT id, name, code FROM units WHERE id = ANY($1) ORDER BY path", audienceUnitIds),
                    new Npgsql.NpgsqlBatchCommand(EvidenceSql)
                    {
                        Parameters =
                        {
                            new Npgsql.NpgsqlParameter { Value = circularId }, new Npgsql.NpgsqlParameter { Value = evidence.CitedByRevisionIds },
                            new Npgsql.NpgsqlParameter { Value = (object?)evidence.SharedWithVendor ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid },
                        },
                    },
                },
            };
            if (userId is { } me)
            {
                batch.BatchCommands.Add(new Npgsql.NpgsqlBatchCommand(Acknowledgements.MyAcknowledgement.Sql)
                    { Parameters = { new Npgsql.NpgsqlParameter { Value = circularId }, new Npgsql.NpgsqlParameter { Value = me } } });
                batch.BatchCommands.Add(Statement(Inbox.UnreadCount.Sql, me));
            }
            await using var reader = await batch.ExecuteReaderAsync(ct);
            var revisions = new List<Details.RevisionRow>();
            while (await reader.ReadAsync(ct))
                revisions.Add(new Details.RevisionRow(reader.GetInt32(0), Enum.Parse<RevisionKind>(reader.GetString(1)),
                    reader.GetFieldValue<DateTimeOffset>(2), reader.GetString(3), reader.GetString(4)));
            await reader.NextResultAsync(ct);
            var events = new List<Details.HistoryRow>();
            while (await reader.ReadAsync(ct))
                events.Add(new Details.HistoryRow(reader.GetFieldValue<DateTimeOffset>(0), reader.GetString(1), reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3)));
            await reader.NextResultAsync(ct);
            var supersedes = new List<Details.Link>();
            while (await reader.ReadAsync(ct))
                supersedes.Add(new Details.Link(reader.GetGuid(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2)));
            await reader.NextResultAsync(ct);
            Details.Link? supersededBy = null;
            if (await reader.ReadAsync(ct))
                supersededBy = new Details.Link(reader.GetGuid(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2));
            await reader.NextResultAsync(ct);
            var audience = new List<Details.UnitRow>();
            while (await reader.ReadAsync(ct))
                audience.Add(new Details.UnitRow(reader.GetGuid(0), reader.GetString(1), reader.GetString(2)));
            await reader.NextResultAsync(ct);
            var items = new List<Evidence.EvidenceListItem>();
            while (await reader.ReadAsync(ct))
            {
                var id = reader.GetGuid(0);
                if (items.Count == 0 || items[^1].Id != id)
                    items.Add(new Evidence.EvidenceListItem(id, reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateOnly>(3), reader.GetString(4),
                        reader.IsDBNull(5) ? null : reader.GetInt32(5), reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6), new List<Evidence.EvidenceListFile>()));
                if (!reader.IsDBNull(7))
                    ((List<Evidence.EvidenceListFile>)items[^1].Files).Add(new Evidence.EvidenceListFile(reader.GetGuid(7), reader.GetString(8), reader.GetString(9)));
            }
            Acknowledgements.MyAcknowledgement.Result? mine = null;
            var unread = 0;
            if (userId is not null)
            {
                await reader.NextResultAsync(ct);
                mine = await Acknowledgements.MyAcknowledgement.ReadAsync(reader, ct);
                await reader.NextResultAsync(ct);
                unread = await reader.ReadAsync(ct) ? reader.GetInt32(0) : 0;
            }
            return new Lists(revisions, events, supersedes, supersededBy, audience, mine, unread, items);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static Npgsql.NpgsqlBatchCommand Statement(string sql, object value) =>
        new(sql) { Parameters = { new Npgsql.NpgsqlParameter { Value = value } } };
}

/// <summary>
/// What the circular page's batch already read for this request about its reader (their acknowledgement of the
/// circular, their unread notices), so that the acknowledgement box and the layout's inbox link do not ask again.
/// Scoped: one per request, and only for the person it was read for.
/// </summary>
public sealed class PageFacts
{
    private Guid _userId;
    private Guid _circularId;
    private Acknowledgements.MyAcknowledgement.Result? _mine;
    private int? _unread;

    public void Hold(Guid userId, Guid circularId, Acknowledgements.MyAcknowledgement.Result? mine, int unread) =>
        (_userId, _circularId, _mine, _unread) = (userId, circularId, mine, unread);

    public bool TryMine(Guid userId, Guid circularId, out Acknowledgements.MyAcknowledgement.Result? mine)
    {
        mine = _mine;
        return _unread is not null && _userId == userId && _circularId == circularId;
    }

    /// <summary>The unread count a page counted itself (the inbox), for the layout's inbox link: no second count.</summary>
    public void HoldUnread(Guid userId, int unread) =>
        (_userId, _circularId, _mine, _unread) = (userId, Guid.Empty, null, unread);

    public int? Unread(Guid userId) => _userId == userId ? _unread : null;
}
