using System.Security.Claims;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Features.Notifications;
using Portal.Web.Infrastructure.Charts;
using Portal.Web.Infrastructure.Mediator;

namespace Portal.Web.Features.Dashboards;

/// <summary>
/// How far one circular's current request for acknowledgement has got in one unit's subtree: overall,
/// staff against families, per child unit, over time, and how the notifications were delivered.
/// Every number is an aggregate computed in PostgreSQL (a few thousand rows at most come back,
/// whatever the audience size), see docs/decisions/0005-acknowledgement-dashboard.md.
/// </summary>
public static partial class Progress
{
    public const int OutstandingShown = 100;
    public const int FailuresShown = 20;

    public sealed record Query(Guid CircularId, Guid? UnitId, ClaimsPrincipal User) : IRequest<Result>;

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
        public Counts All => Staff + Families;
    }

    /// <summary>One row of the aggregate: per child unit and recipient kind (Period null), or per period (Child null).</summary>
    private sealed record Aggregate(string? Child, bool? Staff, DateTimeOffset? Period, long Asked, long Acknowledged);

    private sealed record DeliveryCount(NotificationChannel Channel, NotificationState State, long Count);

    internal sealed class Handler(PortalDbContext db, IMediator mediator, TimeProvider clock) : IRequestHandler<Query, Result>
    {
        public async Task<Result> Handle(Query request, CancellationToken ct)
        {
            var scope = await DashboardScope.ResolveAsync(db, request.User, request.CircularId, request.UnitId, ct);
            var now = clock.GetUtcNow();
            var from = scope.AskedAt ?? now;
            var to = now > from ? now : from.AddHours(1);
            var hourly = to - from <= TimeSpan.FromDays(2);

            var aggregate = await AggregateAsync(scope, hourly ? "hour" : "day", ct);
            var units = await UnitRowsAsync(scope, aggregate, ct);
            var staff = Sum(aggregate.Where(a => a.Period is null && a.Staff == true));
            var families = Sum(aggregate.Where(a => a.Period is null && a.Staff == false));
            var timeline = Timeline(aggregate.Where(a => a.Period is not null).ToDictionary(a => a.Period!.Value, a => a.Acknowledged), from, to, hourly);

            var masked = !request.User.IsInRole(Roles.SecurityOfficer);
            var outstanding = scope.Unit.Id is { } unitId && scope.AskedRevision > 0
                ? await mediator.Send(new Outstanding.Query(scope.CircularId, unitId, OutstandingShown), ct)
                : null;
            return new Result(scope, staff, families, units, hourly, from, to, timeline,
                await DeliveryAsync(scope, ct), await FailuresAsync(scope, masked, ct), masked, outstanding);
        }

        /// <summary>
        /// One pass over the subtree's requests of the asking revision, grouped two ways at once: by unit and
        /// recipient kind, and by period of acknowledgement. The unit groups (at most one per unit) are then
        /// rolled up to the selected unit's children by the child's id, read straight out of each unit's
        /// materialised path (ids are 32 hex characters, so the segment at depth d starts at 2 + 33·d).
        /// </summary>
        private Task<List<Aggregate>> AggregateAsync(DashboardScope scope, string period, CancellationToken ct)
        {
            var childSegment = 2 + 33 * (scope.Depth + 1);
            return db.Database.SqlQuery<Aggregate>($"""
                WITH scoped AS (
                    SELECT a.unit_id, a.dependent_id IS NULL AS staff, a.acknowledged_at,
                           date_trunc({period}, a.acknowledged_at, 'UTC') AS period
                    FROM acknowledgement_requests a
                    WHERE a.circular_id = {scope.CircularId} AND a.revision_number = {scope.AskedRevision}
                      AND a.unit_id IN (SELECT u.id FROM units u WHERE starts_with(u.path, {scope.Path}))
                ), grouped AS (
                    SELECT unit_id, staff, period, GROUPING(unit_id) AS by_period,
                           count(*) AS asked, count(acknowledged_at) AS acknowledged
                    FROM scoped
                    GROUP BY GROUPING SETS ((unit_id, staff), (period))
                )
                SELECT substr(u.path, {childSegment}, 32) AS "Child", g.staff AS "Staff", NULL::timestamptz AS "Period",
                       sum(g.asked)::bigint AS "Asked", sum(g.acknowledged)::bigint AS "Acknowledged"
                FROM grouped g JOIN units u ON u.id = g.unit_id
                WHERE g.by_period = 0
                GROUP BY 1, 2
                UNION ALL
                SELECT NULL, NULL, g.period, 0, g.acknowledged
                FROM grouped g
                WHERE g.by_period = 1 AND g.period IS NOT NULL
                """).ToListAsync(ct);
        }

        private async Task<List<UnitRow>> UnitRowsAsync(DashboardScope scope, List<Aggregate> aggregate, CancellationToken ct)
        {
            var children = await db.Units.AsNoTracking()
                .Where(u => u.Path.StartsWith(scope.Path) && u.Depth == scope.Depth + 1)
                .OrderBy(u => u.Code)
                .Select(u => new { u.Id, u.Code, u.Name })
                .ToListAsync(ct);
            var byChild = aggregate.Where(a => a.Period is null)
                .GroupBy(a => a.Child is { Length: 32 } id ? Guid.ParseExact(id, "N") : (Guid?)null)
                .ToDictionary(g => g.Key ?? Guid.Empty, g => (Staff: Sum(g.Where(a => a.Staff == true)), Families: Sum(g.Where(a => a.Staff == false))));
            var rows = new List<UnitRow>();
            if (byChild.TryGetValue(Guid.Empty, out var direct))
                rows.Add(new UnitRow(null, scope.Unit.Code, $"Directly in {scope.Unit.Name}", direct.Staff, direct.Families));
            foreach (var child in children)
            {
                var counts = byChild.GetValueOrDefault(child.Id, (Staff: Counts.None, Families: Counts.None));
                rows.Add(new UnitRow(child.Id, child.Code, child.Name, counts.Staff, counts.Families));
            }
            return rows;
        }

        private static Counts Sum(IEnumerable<Aggregate> rows) =>
            rows.Aggregate(Counts.None, (sum, a) => sum + new Counts(a.Asked, a.Acknowledged));

        /// <summary>Every period from publication to now, empty ones included, so the line stays flat where nothing happened.</summary>
        private static List<Period> Timeline(Dictionary<DateTimeOffset, long> acknowledged, DateTimeOffset from, DateTimeOffset to, bool hourly)
        {
            var step = hourly ? TimeSpan.FromHours(1) : TimeSpan.FromDays(1);
            var start = Truncate(from, hourly);
            var early = acknowledged.Where(p => p.Key < start).Sum(p => p.Value);
            var periods = new List<Period>();
            var cumulative = early;
            for (var t = start; t <= to; t += step)
            {
                var count = acknowledged.GetValueOrDefault(t) + (t == start ? early : 0);
                cumulative += acknowledged.GetValueOrDefault(t);
                periods.Add(new Period(t, count, cumulative));
            }
            return periods;
        }

        private static DateTimeOffset Truncate(DateTimeOffset at, bool hourly)
        {
            var utc = at.UtcDateTime;
            return new DateTimeOffset(hourly ? utc.Date.AddHours(utc.Hour) : utc.Date, TimeSpan.Zero);
        }

        private IQueryable<Notification> Notifications(DashboardScope scope) =>
            db.Notifications.AsNoTracking().Where(n => n.CircularId == scope.CircularId && n.RevisionNumber >= scope.AskedRevision
                && db.Units.Any(u => u.Id == n.UnitId && u.Path.StartsWith(scope.Path)));

        private async Task<List<ChannelRow>> DeliveryAsync(DashboardScope scope, CancellationToken ct)
        {
            var counts = await Notifications(scope)
                .GroupBy(n => new { n.Channel, n.State })
                .Select(g => new DeliveryCount(g.Key.Channel, g.Key.State, g.LongCount()))
                .ToListAsync(ct);
            long Of(NotificationChannel channel, NotificationState state) =>
                counts.Where(c => c.Channel == channel && c.State == state).Sum(c => c.Count);
            return Enum.GetValues<NotificationChannel>()
                .Select(c => new ChannelRow(c, Of(c, NotificationState.Sent), Of(c, NotificationState.Pending), Of(c, NotificationState.Failed), Of(c, NotificationState.Bounced)))
                .ToList();
        }

        private async Task<List<Failure>> FailuresAsync(DashboardScope scope, bool masked, CancellationToken ct)
        {
            var failures = await Notifications(scope)
                .Where(n => n.State == NotificationState.Failed || n.State == NotificationState.Bounced)
                .OrderByDescending(n => n.Id)
                .Take(FailuresShown)
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
