using System.Globalization;
using System.Security.Claims;
using FluentValidation;
using Portal.Web.Data;
using Portal.Web.Domain;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Text;
using Portal.Web.Infrastructure.Web;
using Portal.Web.Infrastructure.Auth;

namespace Portal.Web.Features.Circulars;

/// <summary>
/// What changed between two published revisions: the labels and dates, each section line by line with
/// the changed words, the rules, the audience and the sources. From and to arrive as typed in the
/// address, so a missing, malformed or equal pair is answered with words, not an error page.
/// </summary>
public static class Diff
{
    /// <summary>Unchanged lines kept around each change; longer unchanged runs are folded into one line.</summary>
    public const int Context = 2;

    public sealed record Query(Guid Id, string? From, string? To) : IRequest<Result>
    {
        public int FromNumber => Number(From) ?? 0;
        public int ToNumber => Number(To) ?? 0;

        public static int? Number(string? text) =>
            int.TryParse(text?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 ? n : null;
    }

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(q => q.From).Cascade(CascadeMode.Stop).NotEmpty().WithMessage("Choose the revision to compare from.")
                .Must(f => Query.Number(f) is not null).WithMessage("The revision to compare from must be a revision number, such as 1.");
            RuleFor(q => q.To).Cascade(CascadeMode.Stop).NotEmpty().WithMessage("Choose the revision to compare with.")
                .Must(t => Query.Number(t) is not null).WithMessage("The revision to compare with must be a revision number, such as 2.");
            RuleFor(q => q.ToNumber).NotEqual(q => q.FromNumber).WithMessage("Choose two different revisions to compare.")
                .When(q => Query.Number(q.From) is not null && Query.Number(q.To) is not null);
        }
    }

    public sealed record Side(int Number, RevisionKind Kind, DateTimeOffset PublishedAt, string ChangeSummary, string ApprovedBy);

    public sealed record FieldChange(string Field, string From, string To);

    /// <summary>A row of the side-by-side view, or (<see cref="Row"/> null) <see cref="Folded"/> unchanged lines left out.</summary>
    public sealed record Line(TextDiff.Row? Row, int Folded);

    public sealed record SectionChange(string Title, IReadOnlyList<Line> Lines)
    {
        public bool Changed => Lines.Count > 0;
    }

    public sealed record Result
    {
        public required Guid CircularId { get; init; }
        public required string ReferenceNumber { get; init; }
        public required string Title { get; init; }
        public required Side From { get; init; }
        public required Side To { get; init; }
        public required IReadOnlyList<FieldChange> Fields { get; init; }
        public required IReadOnlyList<SectionChange> Sections { get; init; }
        public required IReadOnlyList<string> RulesAdded { get; init; }
        public required IReadOnlyList<string> RulesRemoved { get; init; }

        /// <summary>Null for vendors, who do not see the audience.</summary>
        public required IReadOnlyList<string>? AudienceAdded { get; init; }
        public required IReadOnlyList<string>? AudienceRemoved { get; init; }

        public required IReadOnlyList<string> SourcesAdded { get; init; }
        public required IReadOnlyList<string> SourcesRemoved { get; init; }
        public required IReadOnlyList<int> Numbers { get; init; }
    }

    internal sealed class Handler(ICurrentUser user, PortalDbContext db) : IRequestHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query request, CancellationToken ct)
        {
            var reader = await Reader.ForAsync(db, user, ct);
            var circular = await db.HeadAsync(reader, request.Id, ct);
            var snapshots = await db.SnapshotsAsync(reader, circular.Id, [request.FromNumber, request.ToNumber], ct);
            var numbers = await db.NumbersAsync(reader, circular.Id, ct);
            var from = snapshots.FirstOrDefault(s => s.Number == request.FromNumber) ?? throw NoSuchRevision(request.FromNumber, numbers);
            var to = snapshots.FirstOrDefault(s => s.Number == request.ToNumber) ?? throw NoSuchRevision(request.ToNumber, numbers);

            var audience = await db.AudienceNamesAsync(reader, [.. from.AudienceUnitIds.Union(to.AudienceUnitIds)], ct);
            string UnitName(Guid id) => audience!.GetValueOrDefault(id, "A removed unit");
            var rulesFrom = from.Rules.Select(r => RuleWords.Of(r).DescribeInFull()).ToList();
            var rulesTo = to.Rules.Select(r => RuleWords.Of(r).DescribeInFull()).ToList();
            var sourcesFrom = from.Sources.Select(Describe).ToList();
            var sourcesTo = to.Sources.Select(Describe).ToList();

            return new Result
            {
                CircularId = circular.Id,
                ReferenceNumber = to.ReferenceNumber,
                Title = to.Text.Title,
                From = SideOf(from),
                To = SideOf(to),
                Fields = Fields(from, to),
                Sections = Sections(from, to),
                RulesAdded = rulesTo.Except(rulesFrom).ToList(),
                RulesRemoved = rulesFrom.Except(rulesTo).ToList(),
                AudienceAdded = audience is null ? null : to.AudienceUnitIds.Except(from.AudienceUnitIds).Select(UnitName).Order().ToList(),
                AudienceRemoved = audience is null ? null : from.AudienceUnitIds.Except(to.AudienceUnitIds).Select(UnitName).Order().ToList(),
                SourcesAdded = sourcesTo.Except(sourcesFrom).ToList(),
                SourcesRemoved = sourcesFrom.Except(sourcesTo).ToList(),
                Numbers = numbers,
            };
        }

        private static DomainException NoSuchRevision(int number, List<int> numbers) => new(numbers.Count == 0
            ? new Sentence("There is no revision {0} of this circular to compare.", number)
            : new Sentence("There is no revision {0} of this circular to compare. Its revisions are {1}.", number, string.Join(", ", numbers)));

        private static string Describe(SourceSnapshot s) => new PublishedSource(s.Kind, s.Identifier, s.Title, s.Url).Describe();

        private static Side SideOf(RevisionReading.Snapshot s) => new(s.Number, s.Kind, s.PublishedAt, s.ChangeSummary, s.ApprovedBy);

        private static List<FieldChange> Fields(RevisionReading.Snapshot from, RevisionReading.Snapshot to)
        {
            var fields = new List<FieldChange>();
            void Compare(string field, string a, string b)
            {
                if (a != b) fields.Add(new FieldChange(field, a, b));
            }
            var (a, b) = (from.Text, to.Text);
            Compare("Title", a.Title, b.Title);
            Compare("Severity", a.Severity.ToString(), b.Severity.ToString());
            Compare("TLP label", a.Tlp.Display(), b.Tlp.Display());
            Compare("Acknowledge by", a.AcknowledgementDeadline.ToString("d MMMM yyyy", CultureInfo.InvariantCulture),
                b.AcknowledgementDeadline.ToString("d MMMM yyyy", CultureInfo.InvariantCulture));
            Compare("Families included", a.IncludeFamilies ? "Yes" : "No", b.IncludeFamilies ? "Yes" : "No");
            Compare("Title in Hindi", a.HindiTitle, b.HindiTitle);
            return fields;
        }

        private static List<SectionChange> Sections(RevisionReading.Snapshot fromRevision, RevisionReading.Snapshot toRevision)
        {
            var (from, to) = (fromRevision.Text, toRevision.Text);
            var sections = from.Sections.Zip(to.Sections, (a, b) => (a.Title, From: a.Text, To: b.Text)).ToList();
            if (from.IncludeFamilies || to.IncludeFamilies || from.FamilySummary != to.FamilySummary)
                sections.Add(("Family summary", from.FamilySummary, to.FamilySummary));
            if (from.HindiRequiredActions.Length > 0 || to.HindiRequiredActions.Length > 0)
                sections.Add(("Required actions in Hindi", from.HindiRequiredActions, to.HindiRequiredActions));
            if (from.HindiFamilySummary.Length > 0 || to.HindiFamilySummary.Length > 0)
                sections.Add(("Family summary in Hindi", from.HindiFamilySummary, to.HindiFamilySummary));
            if (from.InternalNotes is not null && to.InternalNotes is not null && (from.InternalNotes.Length > 0 || to.InternalNotes.Length > 0))
                sections.Add(("Internal notes", from.InternalNotes, to.InternalNotes));
            return sections.Select(s => new SectionChange(s.Title, Fold(TextDiff.Compare(s.From, s.To)))).ToList();
        }

        /// <summary>Keeps every change and <see cref="Context"/> lines around it; an unchanged section has no lines at all.</summary>
        private static List<Line> Fold(IReadOnlyList<TextDiff.Row> rows)
        {
            var keep = new bool[rows.Count];
            for (var i = 0; i < rows.Count; i++)
            {
                if (rows[i].Kind == TextDiff.RowKind.Unchanged) continue;
                for (var j = Math.Max(0, i - Context); j <= Math.Min(rows.Count - 1, i + Context); j++)
                    keep[j] = true;
            }
            if (!keep.Contains(true))
                return [];
            var lines = new List<Line>();
            for (var i = 0; i < rows.Count;)
            {
                var run = 0;
                while (i + run < rows.Count && !keep[i + run]) run++;
                // Folding a single line saves nothing: show it.
                if (run > 1)
                {
                    lines.Add(new Line(null, run));
                    i += run;
                }
                else
                {
                    lines.Add(new Line(rows[i], 0));
                    i++;
                }
            }
            return lines;
        }
    }
}
