using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using NpgsqlTypes;
using Portal.Web.Data;
using Portal.Web.Data.Configurations;
using Portal.Web.Domain;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Web;
using Portal.Web.Infrastructure.Auth;
using Portal.Web.Infrastructure.Localization;

namespace Portal.Web.Features.Circulars;

/// <summary>
/// The circulars a user may see, filtered and paged: newest change first, or, with search words, best
/// match first (PostgreSQL full text: title and reference weigh most, then the summary, then the rest).
/// </summary>
public static partial class Index
{
    [System.Text.RegularExpressions.GeneratedRegex("-{2,}")]
    private static partial System.Text.RegularExpressions.Regex HyphenRun();

    public const int PageSize = 20;

    public sealed record Query : IRequest<Result>
    {
        public string? Q { get; init; }
        public CircularStatus? Status { get; init; }
        public Severity? Severity { get; init; }
        public TlpLabel? Tlp { get; init; }

        /// <summary>Only circulars whose latest request to the reader is not yet acknowledged (the start page's count).</summary>
        public bool Pending { get; init; }

        /// <summary>Only working copies an approver returned to the reader.</summary>
        public bool Returned { get; init; }

        /// <summary>Only drafts and amendments waiting for an approver.</summary>
        public bool Review { get; init; }

        /// <summary>
        /// Only circulars with messages that failed or bounced (the officer's start page count); for those who see
        /// every unit's deliveries, ignored for anyone else.
        /// </summary>
        public bool Undelivered { get; init; }

        public int Page { get; init; } = 1;

        /// <summary>The list's heading: what the one filter a start-page count sets shows, so the page says what it lists.</summary>
        public Sentence Heading() => (Pending, Returned, Review, Undelivered) switch
        {
            (true, false, false, false) => "Circulars waiting for your acknowledgement",
            (false, true, false, false) => "Drafts returned to you",
            (false, false, true, false) => "Circulars waiting for approval",
            (false, false, false, true) => "Circulars with messages not delivered",
            (false, false, false, false) when Status is { } status => new Sentence("Circulars: {0}", new Sentence(status.Words())),
            _ => "Circulars",
        };
    }

    public sealed record Row
    {
        public Guid Id { get; init; }
        public string? ReferenceNumber { get; init; }
        public string Title { get; init; } = "";
        public CircularStatus Status { get; init; }
        public AmendmentStatus Amendment { get; init; }
        public Severity Severity { get; init; }
        public TlpLabel Tlp { get; init; }
        public DateOnly AcknowledgementDeadline { get; init; }
        public DateTimeOffset UpdatedAt { get; init; }

        /// <summary>Where the search words occur, from ts_headline with <see cref="SearchSnippet"/> markers; null when not searching.</summary>
        public string? Snippet { get; init; }
    }

    public sealed record Result(Query Filter, IReadOnlyList<Row> Rows, int Total, int Page, int Pages)
    {
        public bool IsSearch => !string.IsNullOrWhiteSpace(Filter.Q);
    }

    /// <summary>A row before paging, with what the search needs: the text it is matched against and quoted from.</summary>
    private sealed record Candidate
    {
        public Guid Id { get; init; }
        public string? ReferenceNumber { get; init; }
        public string Title { get; init; } = "";
        public CircularStatus Status { get; init; }
        public AmendmentStatus Amendment { get; init; }
        public Severity Severity { get; init; }
        public TlpLabel Tlp { get; init; }
        public DateOnly AcknowledgementDeadline { get; init; }
        public DateTimeOffset UpdatedAt { get; init; }
        public NpgsqlTsVector Words { get; init; } = null!;
        public string Body { get; init; } = "";
    }

    internal sealed class Handler(ICurrentUser user, PortalDbContext db) : IRequestHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query request, CancellationToken ct)
        {
            var reader = await Reader.ForAsync(db, user, ct);
            var visible = db.Circulars.AsNoTracking().VisibleTo(reader);
            if (request.Pending)
                visible = visible.Where(c => c.Status == CircularStatus.Published && Home.StaffTasks.Latest(db)
                    .Any(a => a.CircularId == c.Id && a.DependentId == null && a.AcknowledgedAt == null
                        && db.StaffMembers.Any(s => s.Id == a.StaffMemberId && s.UserId == reader.UserId)));
            if (request.Returned && reader.UserId is { } me)
                visible = visible.Where(c => Home.OfficerTasks.Returned(db, me).Any(r => r.Id == c.Id));
            if (request.Review)
                visible = visible.Where(c => c.Status == CircularStatus.InReview || c.Amendment == AmendmentStatus.InReview);
            if (request.Undelivered && Dashboards.DashboardAccess.SeesWholeOrganisation(user.Principal))
                visible = visible.Where(c => Home.OfficerTasks.Undelivered(db).Any(n => n.CircularId == c.Id));
            // Officers list and search the working copies; everyone else what was published, so an
            // amendment in progress is never found, ranked or quoted for them.
            var query = reader.ReadsDrafts
                ? visible.Select(c => new Candidate
                {
                    Id = c.Id, ReferenceNumber = c.ReferenceNumber, Title = c.Text.Title, Status = c.Status, Amendment = c.Amendment,
                    Severity = c.Text.Severity, Tlp = c.Text.Tlp, AcknowledgementDeadline = c.Text.AcknowledgementDeadline, UpdatedAt = c.UpdatedAt,
                    Words = EF.Property<NpgsqlTsVector>(c, SearchColumn.Name),
                    Body = c.Text.Summary + "\n" + c.Text.Background + "\n" + c.Text.RiskAssessment + "\n" + c.Text.Impact + "\n" + c.Text.RequiredActions
                        + "\n" + c.Text.References + "\n" + c.Text.FamilySummary + "\n" + c.Text.HindiTitle + "\n" + c.Text.HindiRequiredActions
                        + "\n" + c.Text.HindiFamilySummary,
                })
                : visible.Select(c => new Candidate
                {
                    Id = c.Id, ReferenceNumber = c.ReferenceNumber, Title = c.CurrentRevision!.Text.Title, Status = c.Status, Amendment = AmendmentStatus.None,
                    Severity = c.CurrentRevision.Text.Severity, Tlp = c.CurrentRevision.Text.Tlp, AcknowledgementDeadline = c.CurrentRevision.Text.AcknowledgementDeadline,
                    UpdatedAt = c.ClosedAt ?? c.CurrentRevision.PublishedAt,
                    Words = EF.Property<NpgsqlTsVector>(c.CurrentRevision, SearchColumn.Name),
                    Body = c.CurrentRevision.Text.Summary + "\n" + c.CurrentRevision.Text.Background + "\n" + c.CurrentRevision.Text.RiskAssessment
                        + "\n" + c.CurrentRevision.Text.Impact + "\n" + c.CurrentRevision.Text.RequiredActions + "\n" + c.CurrentRevision.Text.References
                        + "\n" + c.CurrentRevision.Text.FamilySummary + "\n" + c.CurrentRevision.Text.HindiTitle + "\n" + c.CurrentRevision.Text.HindiRequiredActions
                        + "\n" + c.CurrentRevision.Text.HindiFamilySummary,
                });
            if (request.Status is { } status) query = query.Where(c => c.Status == status);
            if (request.Severity is { } severity) query = query.Where(c => c.Severity == severity);
            if (request.Tlp is { } tlp) query = query.Where(c => c.Tlp == tlp);

            // A run of hyphens is a chain of nested NOTs to websearch_to_tsquery, and a long one overflows its stack.
            // NFC as the search column (migrations/0024_hindi_search.sql): a Hindi word finds its other spelling in code points.
            var text = request.Q is null ? null : HyphenRun().Replace(request.Q, "-").Trim().Normalize(System.Text.NormalizationForm.FormC);
            var reference = text?.ToUpperInvariant();
            // A reference number is one token to the text parser, so a partial one ("SEC/ADV/2026") would
            // find nothing: anything that looks like one also matches as a prefix of the number.
            var referencePrefix = reference is not null && reference.Contains('/', StringComparison.Ordinal);
            if (!string.IsNullOrEmpty(text))
                query = query.Where(c => c.Words.Matches(EF.Functions.WebSearchToTsQuery(SearchColumn.Config, text))
                    || c.ReferenceNumber == reference
                    || (referencePrefix && c.ReferenceNumber!.StartsWith(reference!)));

            var total = await query.CountAsync(ct);
            var pages = Math.Max(1, (total + PageSize - 1) / PageSize);
            var page = Math.Clamp(request.Page, 1, pages);
            var ordered = string.IsNullOrEmpty(text)
                ? query.OrderByDescending(c => c.UpdatedAt).ThenBy(c => c.Id)
                : query.OrderByDescending(c => c.ReferenceNumber == reference ? 1 : 0)
                    .ThenByDescending(c => c.Words.RankCoverDensity(EF.Functions.WebSearchToTsQuery(SearchColumn.Config, text)))
                    .ThenByDescending(c => c.UpdatedAt).ThenBy(c => c.Id);
            var options = SearchSnippet.HeadlineOptions;
            var rows = await ordered.Skip((page - 1) * PageSize).Take(PageSize)
                .Select(c => new Row
                {
                    Id = c.Id, ReferenceNumber = c.ReferenceNumber, Title = c.Title, Status = c.Status, Amendment = c.Amendment,
                    Severity = c.Severity, Tlp = c.Tlp, AcknowledgementDeadline = c.AcknowledgementDeadline, UpdatedAt = c.UpdatedAt,
                    Snippet = string.IsNullOrEmpty(text) ? null
                        : EF.Functions.WebSearchToTsQuery(SearchColumn.Config, text).GetResultHeadline(SearchColumn.Config, SearchColumn.Nfc(c.Body), options),
                })
                .ToListAsync(ct);
            return new Result(request, rows, total, page, pages);
        }
    }
}
