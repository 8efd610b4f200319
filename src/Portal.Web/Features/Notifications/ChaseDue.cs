using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Infrastructure.Background;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Startup;
using Portal.Web.Infrastructure.Telemetry;

namespace Portal.Web.Features.Notifications;

/// <summary>
/// Reminds those who have not acknowledged, at the configured days around the deadline, and after the
/// deadline escalates to each unit commander whose subtree still has people outstanding. Each round of each
/// circular runs in its own transaction (<see cref="ChaseRound"/>), which first claims the round in
/// chase_rounds and only then queues messages: a second instance racing for the same round waits on the
/// claim and then finds it taken, and a circular whose round fails is retried on the next tick without
/// holding back the others. When the app was down across several rounds, only the latest is sent; the
/// missed ones are recorded with no messages rather than flooding people with stale reminders.
/// </summary>
public static class ChaseDue
{
    /// <remarks>
    /// Its own transaction only reads which rounds are due; each round is sent in a scope of its own, so
    /// its transaction commits or rolls back alone (as <see cref="Dispatch"/> does per notification).
    /// </remarks>
    public sealed record Command : ICommand<Result>;

    public sealed record Result(int Reminders, int Escalations, int FailedRounds = 0);

    internal sealed class Handler(PortalDbContext db, TimeProvider clock, IOptions<PortalOptions> options,
        IServiceScopeFactory scopes, ILogger<Handler> logger) : ICommandHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command request, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            var open = await db.Circulars.AsNoTracking()
                .Where(c => c.Status == CircularStatus.Published)
                .Select(c => new
                {
                    c.Id,
                    Asked = db.AcknowledgementRequests.Where(a => a.CircularId == c.Id).Max(a => (int?)a.RevisionNumber),
                    c.CurrentRevisionNumber,
                    c.CurrentRevision!.Text.AcknowledgementDeadline,
                })
                .Where(c => c.Asked != null)
                .ToListAsync(ct);
            if (open.Count == 0)
                return new Result(0, 0);
            var ids = open.Select(c => c.Id).ToArray();
            var done = (await db.Database.SqlQuery<DoneRound>($"""
                SELECT circular_id, revision_number, kind, days_from_deadline FROM chase_rounds WHERE circular_id = ANY({ids})
                """).ToListAsync(ct)).ToHashSet();

            var chase = options.Value.Chase;
            var due = new List<ChaseRound.Command>();
            foreach (var c in open)
            {
                var deadlineEnd = new DateTimeOffset(c.AcknowledgementDeadline.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
                foreach (var (kind, days) in new[] { ("Reminder", chase.ReminderDays), ("Escalation", chase.EscalationDays.Where(d => d > 0).ToArray()) })
                {
                    var passed = days.Where(d => deadlineEnd.AddDays(d) <= now).Distinct().Order().ToList();
                    if (passed.Count == 0 || done.Contains(new DoneRound(c.Id, c.Asked!.Value, kind, passed[^1])))
                        continue;
                    due.Add(new ChaseRound.Command(c.Id, c.Asked.Value, c.CurrentRevisionNumber, kind, passed[^1],
                        [.. passed.SkipLast(1).Where(d => !done.Contains(new DoneRound(c.Id, c.Asked.Value, kind, d)))]));
                }
            }

            int reminders = 0, escalations = 0, failed = 0;
            foreach (var round in due)
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var queued = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(round, ct);
                    if (round.Kind == "Reminder") reminders += queued; else escalations += queued;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    failed++;
                    logger.LogError(ex, "The {Kind} round {Day} of circular {Circular} failed; it will be tried again", round.Kind, round.Day, round.CircularId);
                }
            }
            return new Result(reminders, escalations, failed);
        }

        internal sealed record DoneRound(Guid CircularId, int RevisionNumber, string Kind, int DaysFromDeadline);
    }
}

/// <summary>One round (reminder or escalation, one day relative to the deadline) of one circular, in one transaction.</summary>
public static class ChaseRound
{
    /// <param name="AskedRevision">The revision whose acknowledgement requests are outstanding.</param>
    /// <param name="Skipped">Earlier rounds of the same kind that never ran: recorded as run, with no messages.</param>
    public sealed record Command(Guid CircularId, int AskedRevision, int CurrentRevision, string Kind, int Day, int[] Skipped) : ICommand<int>;

    internal sealed class Handler(PortalDbContext db, TimeProvider clock) : ICommandHandler<Command, int>
    {
        public async ValueTask<int> Handle(Command c, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            // The claim comes first: a racing instance blocks on this row until we commit, then inserts nothing.
            var claimed = await db.Database.ExecuteSqlAsync($"""
                INSERT INTO chase_rounds (circular_id, revision_number, kind, days_from_deadline, ran_at, notifications)
                VALUES ({c.CircularId}, {c.AskedRevision}, {c.Kind}, {c.Day}, {now}, 0)
                ON CONFLICT DO NOTHING
                """, ct);
            if (claimed == 0)
                return 0;
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO chase_rounds (circular_id, revision_number, kind, days_from_deadline, ran_at, notifications)
                SELECT {c.CircularId}, {c.AskedRevision}, {c.Kind}, day, {now}, 0 FROM unnest({c.Skipped}) AS day
                ON CONFLICT DO NOTHING
                """, ct);
            var queued = c.Kind == "Reminder" ? await RemindAsync(c, now, ct) : await EscalateAsync(c, now, ct);
            await db.Database.ExecuteSqlAsync($"""
                UPDATE chase_rounds SET notifications = {queued}
                WHERE circular_id = {c.CircularId} AND revision_number = {c.AskedRevision} AND kind = {c.Kind} AND days_from_deadline = {c.Day}
                """, ct);
            if (queued > 0)
                PortalTelemetry.ChaseRoundRan(c.Kind);
            return queued;
        }

        private Task<int> RemindAsync(Command c, DateTimeOffset now, CancellationToken ct) => db.Database.ExecuteSqlAsync($"""
            INSERT INTO notifications (circular_id, revision_number, purpose, channel, staff_member_id, dependent_id, unit_id,
                                       address, language, state, attempts, next_attempt_at, created_at, sent_at)
            SELECT a.circular_id, {c.CurrentRevision}, 'Reminder', ch.channel, s.id, NULL, a.unit_id, ch.address, coalesce(su.language, 'en'),
                   CASE WHEN ch.channel = 'InApp' THEN 'Sent' ELSE 'Pending' END, 0,
                   CASE WHEN ch.channel = 'InApp' THEN NULL ELSE {now} END, {now}, CASE WHEN ch.channel = 'InApp' THEN {now} END
            FROM acknowledgement_requests a
            JOIN staff_members s ON s.id = a.staff_member_id
            LEFT JOIN users su ON su.id = s.user_id
            CROSS JOIN LATERAL (VALUES ('InApp', NULL), ('Email', s.email), ('Sms', s.mobile_number)) AS ch(channel, address)
            WHERE a.circular_id = {c.CircularId} AND a.revision_number = {c.AskedRevision} AND a.acknowledged_at IS NULL
              AND a.dependent_id IS NULL AND (ch.channel = 'InApp' OR ch.address IS NOT NULL)
            UNION ALL
            SELECT a.circular_id, {c.CurrentRevision}, 'Reminder', ch.channel, s.id, d.id, a.unit_id, ch.address, d.preferred_language,
                   'Pending', 0, {now}, {now}, NULL
            FROM acknowledgement_requests a
            JOIN dependents d ON d.id = a.dependent_id
            JOIN staff_members s ON s.id = a.staff_member_id
            CROSS JOIN LATERAL (VALUES ('Email', d.email), ('Sms', d.mobile_number)) AS ch(channel, address)
            WHERE a.circular_id = {c.CircularId} AND a.revision_number = {c.AskedRevision} AND a.acknowledged_at IS NULL
              AND d.consent_to_contact AND ch.address IS NOT NULL
            """, ct);

        private Task<int> EscalateAsync(Command c, DateTimeOffset now, CancellationToken ct) => db.Database.ExecuteSqlAsync($"""
            INSERT INTO notifications (circular_id, revision_number, purpose, channel, user_id, unit_id, address, language,
                                       state, attempts, next_attempt_at, created_at)
            SELECT {c.CircularId}, {c.CurrentRevision}, 'Escalation', 'Email', u.id, u.unit_id, u.email, u.language, 'Pending', 0, {now}, {now}
            FROM users u
            JOIN user_roles ur ON ur.user_id = u.id
            JOIN roles r ON r.id = ur.role_id AND r.name = {Roles.UnitCommander}
            JOIN units cu ON cu.id = u.unit_id
            WHERE u.email IS NOT NULL
              AND EXISTS (SELECT 1 FROM acknowledgement_tallies t JOIN units au ON au.id = t.unit_id
                          WHERE t.circular_id = {c.CircularId} AND t.revision_number = {c.AskedRevision}
                            AND (t.staff_asked > t.staff_acknowledged OR t.family_asked > t.family_acknowledged)
                            AND starts_with(au.path, cu.path))
            """, ct);
    }
}

/// <summary>Who in a commander's subtree has still not acknowledged: the body of an escalation and the commander's list.</summary>
public static class Outstanding
{
    /// <param name="Total">How many are outstanding, when the caller already knows (the dashboard's tallies); otherwise counted here.</param>
    public sealed record Query(Guid CircularId, Guid UnitId, int Limit = 500, int? Total = null) : IRequest<Result>;

    public sealed record Person(string Name, string? Relationship, string StaffName, string ServiceNumber, string Unit);

    public sealed record Result(int Total, IReadOnlyList<Person> People);

    internal sealed class Handler(PortalDbContext db) : IRequestHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query request, CancellationToken ct)
        {
            var path = await db.Units.Where(u => u.Id == request.UnitId).Select(u => u.Path).FirstAsync(ct);
            var asked = await db.AcknowledgementRequests.Where(a => a.CircularId == request.CircularId).MaxAsync(a => (int?)a.RevisionNumber, ct) ?? 0;
            var outstanding =
                from a in db.AcknowledgementRequests.AsNoTracking()
                where a.CircularId == request.CircularId && a.RevisionNumber == asked && a.AcknowledgedAt == null
                join u in db.Units on a.UnitId equals u.Id
                where u.Path.StartsWith(path)
                select a;
            var total = request.Total ?? await outstanding.CountAsync(ct);
            // Units in code order, only as many as hold the first Limit outstanding people by their tallies (one row per
            // unit), and only their requests joined and sorted: the whole organisation's list reads a few hundred
            // rows, not every outstanding request (docs/decisions/0061-acknowledgement-storm-and-dashboards-at-full-scale.md).
            // The requests are read unit by unit (a LATERAL subquery with its own LIMIT, which the planner cannot flatten
            // and reorder): right after a publication the statistics do not know the new circular's rows yet, and the
            // freely joined form scanned all of them once per needed unit (3.5 s for a wing of 141,006 requests;
            // docs/decisions/0063-dashboards-right-after-publication.md).
            var people = await db.Database.SqlQuery<Person>($"""
                WITH units_needed AS (
                    SELECT unit_id, code FROM (
                        SELECT t.unit_id, u.code, t.staff_asked - t.staff_acknowledged + t.family_asked - t.family_acknowledged AS own,
                               sum(t.staff_asked - t.staff_acknowledged + t.family_asked - t.family_acknowledged) OVER (ORDER BY u.code) AS running
                        FROM acknowledgement_tallies t
                        JOIN units u ON u.id = t.unit_id
                        WHERE t.circular_id = {request.CircularId} AND t.revision_number = {asked} AND starts_with(u.path, {path})
                          AND t.staff_asked - t.staff_acknowledged + t.family_asked - t.family_acknowledged > 0) w
                    WHERE running - own < {request.Limit})
                SELECT p.name, p.relationship, p.staff_name, p.service_number, n.code AS unit
                FROM units_needed n
                CROSS JOIN LATERAL (
                    SELECT coalesce(d.full_name, s.full_name) AS name, d.relationship AS relationship, s.full_name AS staff_name,
                           s.service_number AS service_number, d.full_name AS family_name
                    FROM acknowledgement_requests a
                    JOIN staff_members s ON s.id = a.staff_member_id
                    LEFT JOIN dependents d ON d.id = a.dependent_id
                    WHERE a.circular_id = {request.CircularId} AND a.unit_id = n.unit_id
                      AND a.revision_number = {asked} AND a.acknowledged_at IS NULL
                    ORDER BY s.full_name, d.full_name
                    LIMIT {request.Limit}) p
                ORDER BY n.code, p.staff_name, p.family_name
                LIMIT {request.Limit}
                """).ToListAsync(ct);
            return new Result(total, people);
        }
    }
}

internal sealed class Chasing(IServiceScopeFactory scopes, IOptions<PortalOptions> options, ILogger<Chasing> logger)
    : PeriodicCommand<ChaseDue.Command, ChaseDue.Result>(scopes, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.Chase.IntervalSeconds);

    protected override void Report(ILogger logger, ChaseDue.Result result)
    {
        if (result.Reminders + result.Escalations > 0)
            logger.LogInformation("Queued {Reminders} reminders and {Escalations} escalations", result.Reminders, result.Escalations);
    }
}
