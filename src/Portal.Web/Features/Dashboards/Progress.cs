using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Features.Notifications;
using Portal.Web.Infrastructure.Charts;
using Mediator;
using Unit = Portal.Web.Domain.Unit;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Auth;

namespace Portal.Web.Features.Dashboards;

/// <summary>
/// How far one circular's current request for acknowledgement has got in one unit's subtree: overall,
/// staff against families, per child unit, over time, and how the notifications were delivered.
/// Counts come from the running tallies the database keeps per unit (a few thousand rows, however many
/// people were asked), rolled up to the selected unit's children in SQL; see docs/decisions/0007-dashboard-tallies.md.
/// </summary>
public static partial class Progress
{
    public const int OutstandingShown = 100;
    public const int FailuresShown = 20;

    public sealed record Query(Guid CircularId, Guid? UnitId) : IRequest<Result>;

    public sealed record Counts(long Asked, long Acknowledged)
    {
        public static readonly Counts None = new(0, 0);
        public long Outstanding => Asked - Acknowledged;
        public string Percent => ChartFormat.Percent(Acknowledged, Asked);
        public double Ratio => ChartFormat.Ratio(Acknowledged, Asked);
        public static Counts operator +(Counts a, Counts b) => new(a.Asked + b.Asked, a.Acknowledged + b.Acknowledged);
    }

    /// <summary>A child unit of the selected one (its whole subtree), or with no id the people directly in the selected unit.</summary>
    public sealed record UnitRow(Guid? Id, string Code, string Name, Counts Staff, Counts Families)
    {
        public Counts All => Staff + Families;
    }

    public sealed record Period(DateTimeOffset Start, long Acknowledged, long Cumulative);

    public sealed record ChannelRow(NotificationChannel Channel, long Sent, long Pending, long Failed, long Bounced)
    {
        public long Total => Sent + Pending + Failed + Bounced;
    }

    public sealed record Failure(NotificationChannel Channel, NotificationState State, string Recipient, string Unit, string? Address, string? Error, int Attempts, DateTimeOffset CreatedAt);

    /// <summary>Failures told apart by what went wrong (addresses and numbers taken out), so one cause shows once with its count.</summary>
    public sealed record FailureReason(string Channel, string State, string Reason, int Count, DateTimeOffset Newest);

    public sealed record Result(
        DashboardScope Scope,
        Counts Staff,
        Counts Families,
        IReadOnlyList<UnitRow> Units,
        bool Hourly,
        DateTimeOffset From,
        DateTimeOffset To,
        IReadOnlyList<Period> Timeline,
        IReadOnlyList<ChannelRow> Delivery,
        IReadOnlyList<Failure> Failures,
        bool AddressesMasked,
        Outstanding.Result? Outstanding)
    {
        public IReadOnlyList<FailureReason> FailureReasons { get; init; } = [];

        public Counts All => Staff + Families;
    }

    /// <summary>The tallies of one child unit's subtree; an empty <see cref="Child"/> holds the people directly in the selected unit.</summary>
    private sealed record ChildTally(string Child, long StaffAsked, long StaffAcknowledged, long FamilyAsked, long FamilyAcknowledged);

    private sealed record PeriodTally(DateTimeOffset Start, long Acknowledged);

    internal sealed class Handler(ICurrentUser user, PortalDbContext db, IMediator mediator, TimeProvider clock) : IRequestHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query request, CancellationToken ct)
        {
            var scope = await DashboardScope.ResolveAsync(db, user, request.CircularId, request.UnitId, ct);
            var now = clock.GetUtcNow();
            var from = scope.AskedAt ?? now;
            var to = now > from ? now : from.AddHours(1);
            var hourly = to - from <= TimeSpan.FromDays(2);

            var units = await UnitRowsAsync(scope, ct);
            var staff = units.Aggregate(Counts.None, (sum, u) => sum + u.Staff);
            var families = units.Aggregate(Counts.None, (sum, u) => sum + u.Families);
            var timeline = Timeline(await PeriodsAsync(scope, hourly, ct), from, to, hourly);

            var masked = !user.IsInRole(Roles.SecurityOfficer);
            var outstanding = scope.Unit.Id is { } unitId && scope.AskedRevision > 0
                ? await mediator.Send(new Outstanding.Query(scope.CircularId, unitId, OutstandingShown, (int)(staff + families).Outstanding), ct)
                : null;
            return new Result(scope, staff, families, units, hourly, from, to, timeline,
                await DeliveryAsync(scope, ct), await FailuresAsync(scope, masked, ct), masked, outstanding)
            {
                FailureReasons = await FailureReasonsAsync(scope, ct),
            };
        }

        /// <summary>E-mail addresses and phone numbers inside an error, taken out so that one cause groups as one.</summary>
        private const string AddressPattern = @"[^[:space:]<>""]+@[^[:space:]<>""]+|\+?[0-9][0-9 -]{6,}[0-9]";

        /// <summary>The ten commonest causes of failure in the subtree, each with its count and when it last happened.</summary>
        private Task<List<FailureReason>> FailureReasonsAsync(DashboardScope scope, CancellationToken ct) =>
            db.Database.SqlQuery<FailureReason>($"""
                SELECT n.channel AS "channel", n.state AS "state",
                       regexp_replace(coalesce(n.last_error, ''), {AddressPattern}, '…', 'g') AS "reason",
                       count(*)::int AS "count", max(n.created_at) AS "newest"
                FROM notifications n
                JOIN units u ON u.id = n.unit_id
                WHERE n.circular_id = {scope.CircularId} AND n.state IN ('Failed', 'Bounced') AND n.revision_number >= {scope.AskedRevision}
                  AND starts_with(u.path, {scope.Path})
                GROUP BY 1, 2, 3
                ORDER BY 4 DESC, 5 DESC
                LIMIT 10
                """).ToListAsync(ct);

        private IQueryable<Unit> Subtree(DashboardScope scope) => db.Units.Where(u => u.Path.StartsWith(scope.Path));

        /// <summary>
        /// The selected unit's children, each with the tallies of its whole subtree, in one query: the tally rows
        /// of the subtree (one per unit) grouped by the child they lie under. That child's id is read straight
        /// out of each unit's materialised path: ids are 32 hex characters, so the id at depth d begins
        /// 1 + 33·d characters in, and a unit directly in the selected one has nothing there.
        /// </summary>
        private async Task<List<UnitRow>> UnitRowsAsync(DashboardScope scope, CancellationToken ct)
        {
            var childIdAt = 1 + 33 * (scope.Depth + 1);
            var tallies = await (
                from t in db.Set<AcknowledgementTally>().AsNoTracking()
                where t.CircularId == scope.CircularId && t.RevisionNumber == scope.AskedRevision
                join u in Subtree(scope) on t.UnitId equals u.Id
                group t by u.Path.Substring(childIdAt, 32) into child
                select new ChildTally(child.Key, child.Sum(t => (long)t.StaffAsked), child.Sum(t => (long)t.StaffAcknowledged),
                    child.Sum(t => (long)t.FamilyAsked), child.Sum(t => (long)t.FamilyAcknowledged)))
                .ToListAsync(ct);
            var children = await db.Units.AsNoTracking()
                .Where(u => u.Path.StartsWith(scope.Path) && u.Depth == scope.Depth + 1)
                .OrderBy(u => u.Code)
                .Select(u => new { u.Id, u.Code, u.Name })
                .ToListAsync(ct);
            var byChild = tallies.ToDictionary(t => t.Child is { Length: 32 } id ? Guid.ParseExact(id, "N") : Guid.Empty);
            static Counts Staff(ChildTally? t) => t is null ? Counts.None : new(t.StaffAsked, t.StaffAcknowledged);
            static Counts Families(ChildTally? t) => t is null ? Counts.None : new(t.FamilyAsked, t.FamilyAcknowledged);

            var rows = new List<UnitRow>();
            if (byChild.GetValueOrDefault(Guid.Empty) is { } direct)
                rows.Add(new UnitRow(null, scope.Unit.Code, scope.Unit.Name, Staff(direct), Families(direct)));
            foreach (var child in children)
            {
                var tally = byChild.GetValueOrDefault(child.Id);
                rows.Add(new UnitRow(child.Id, child.Code, child.Name, Staff(tally), Families(tally)));
            }
            return rows;
        }

        private async Task<List<PeriodTally>> PeriodsAsync(DashboardScope scope, bool hourly, CancellationToken ct)
        {
            var subtree = Subtree(scope).Select(u => u.Id);
            if (hourly)
                return await db.Set<AcknowledgementHour>().AsNoTracking()
                    .Where(h => h.CircularId == scope.CircularId && h.RevisionNumber == scope.AskedRevision && subtree.Contains(h.UnitId))
                    .GroupBy(h => h.Hour)
                    .Select(g => new PeriodTally(g.Key, g.Sum(h => (long)h.Acknowledged)))
                    .ToListAsync(ct);
            var days = await db.Set<AcknowledgementDay>().AsNoTracking()
                .Where(d => d.CircularId == scope.CircularId && d.RevisionNumber == scope.AskedRevision && subtree.Contains(d.UnitId))
                .GroupBy(d => d.Day)
                .Select(g => new { Day = g.Key, Acknowledged = g.Sum(d => (long)d.Acknowledged) })
                .ToListAsync(ct);
            return days.Select(d => new PeriodTally(new DateTimeOffset(d.Day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), d.Acknowledged)).ToList();
        }

        /// <summary>Every period from publication to now, empty ones included, so the line stays flat where nothing happened.</summary>
        private static List<Period> Timeline(List<PeriodTally> tallies, DateTimeOffset from, DateTimeOffset to, bool hourly)
        {
            var step = hourly ? TimeSpan.FromHours(1) : TimeSpan.FromDays(1);
            var start = Truncate(from, hourly);
            var acknowledged = tallies.ToDictionary(t => t.Start, t => t.Acknowledged);
            var early = tallies.Where(t => t.Start < start).Sum(t => t.Acknowledged);
            var periods = new List<Period>();
            var cumulative = early;
            for (var t = start; t <= to; t += step)
            {
                var count = acknowledged.GetValueOrDefault(t);
                cumulative += count;
                periods.Add(new Period(t, count + (t == start ? early : 0), cumulative));
            }
            return periods;
        }

        private static DateTimeOffset Truncate(DateTimeOffset at, bool hourly)
        {
            var utc = at.UtcDateTime;
            return new DateTimeOffset(hourly ? utc.Date.AddHours(utc.Hour) : utc.Date, TimeSpan.Zero);
        }

        /// <summary>Every message about the asking revision or a later one (amendments, reminders, escalations).</summary>
        private async Task<List<ChannelRow>> DeliveryAsync(DashboardScope scope, CancellationToken ct)
        {
            var subtree = Subtree(scope).Select(u => u.Id);
            var counts = await db.Set<DeliveryTally>().AsNoTracking()
                .Where(t => t.CircularId == scope.CircularId && t.RevisionNumber >= scope.AskedRevision && subtree.Contains(t.UnitId))
                .GroupBy(t => t.Channel)
                .Select(g => new ChannelRow(g.Key, g.Sum(t => (long)t.Sent), g.Sum(t => (long)t.Pending), g.Sum(t => (long)t.Failed), g.Sum(t => (long)t.Bounced)))
                .ToListAsync(ct);
            return Enum.GetValues<NotificationChannel>()
                .Select(c => counts.FirstOrDefault(r => r.Channel == c) ?? new ChannelRow(c, 0, 0, 0, 0))
                .ToList();
        }

        /// <summary>
        /// The latest failures unit by unit (at most <see cref="FailuresShown"/> from each, from a partial index of
        /// failures), then the latest of those: fast for one flight and for the whole organisation alike, where a
        /// single scan in id order would wade through every failure of the units outside the subtree.
        /// </summary>
        private async Task<List<Failure>> FailuresAsync(DashboardScope scope, bool masked, CancellationToken ct)
        {
            var ids = await db.Database.SqlQuery<long>($"""
                SELECT f.id AS "Value"
                FROM units u
                CROSS JOIN LATERAL (
                    SELECT n.id FROM notifications n
                    WHERE n.circular_id = {scope.CircularId} AND n.unit_id = u.id AND n.state IN ('Failed', 'Bounced')
                      AND n.revision_number >= {scope.AskedRevision}
                    ORDER BY n.id DESC
                    LIMIT {FailuresShown}) f
                WHERE starts_with(u.path, {scope.Path})
                ORDER BY f.id DESC
                LIMIT {FailuresShown}
                """).ToListAsync(ct);
            var failures = await db.Notifications.AsNoTracking()
                .Where(n => ids.Contains(n.Id))
                .OrderByDescending(n => n.Id)
                .Select(n => new Failure(n.Channel, n.State,
                    n.DependentId != null ? "Family" : n.StaffMemberId != null ? "Staff" : "Commander",
                    db.Units.Where(u => u.Id == n.UnitId).Select(u => u.Code).First(),
                    n.Address, n.LastError, n.Attempts, n.CreatedAt))
                .ToListAsync(ct);
            return masked ? failures.Select(f => f with { Address = Mask(f.Address), Error = MaskWithin(f.Error) }).ToList() : failures;
        }
    }

    /// <summary>"s•••@home.example", "+91•••••••12": enough to tell addresses apart, not enough to reach anyone.</summary>
    public static string? Mask(string? address)
    {
        if (string.IsNullOrEmpty(address))
            return address;
        var at = address.IndexOf('@');
        if (at > 0)
            return address[0] + "•••" + address[at..];
        return address.Length <= 5 ? "•••" : address[..3] + new string('•', address.Length - 5) + address[^2..];
    }

    public static string? MaskWithin(string? text) =>
        text is null ? null : PhoneNumber().Replace(EmailAddress().Replace(text, m => Mask(m.Value)!), m => Mask(m.Value)!);

    [GeneratedRegex(@"[^\s@<>""'(),;:]+@[^\s@<>""'(),;:]+")]
    private static partial Regex EmailAddress();

    [GeneratedRegex(@"\+?\d[\d \-]{6,}\d")]
    private static partial Regex PhoneNumber();
}
