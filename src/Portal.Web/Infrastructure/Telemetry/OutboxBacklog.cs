using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;
using Portal.Web.Features.Notifications;

namespace Portal.Web.Infrastructure.Telemetry;

/// <summary>
/// The outbox as the dispatchers see it: how many notifications are waiting and how long the oldest due
/// one has waited. Two index-only reads of the partial index ix_notifications_due (migrations/0006).
/// </summary>
public sealed class OutboxBacklog(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public sealed record Snapshot(long Pending, TimeSpan OldestDueAge);

    public async Task<Snapshot> ReadAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var command = dataSource.CreateCommand("""
            SELECT (SELECT count(*) FROM notifications WHERE state = 'Pending'),
                   (SELECT min(next_attempt_at) FROM notifications WHERE state = 'Pending' AND next_attempt_at <= $1)
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = now });
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var pending = reader.GetInt64(0);
        var oldest = reader.IsDBNull(1) ? now : reader.GetFieldValue<DateTimeOffset>(1);
        return new Snapshot(pending, oldest < now ? now - oldest : TimeSpan.Zero);
    }
}

/// <summary>Ready but Degraded while the oldest due notification has waited longer than Portal:Dispatch:DegradedAfterMinutes.</summary>
internal sealed class DispatchBacklogHealthCheck(OutboxBacklog backlog, IOptions<DispatchOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var snapshot = await backlog.ReadAsync(ct);
        var limit = TimeSpan.FromMinutes(options.Value.DegradedAfterMinutes);
        var data = new Dictionary<string, object>
        {
            ["pending"] = snapshot.Pending,
            ["oldestDueSeconds"] = (long)snapshot.OldestDueAge.TotalSeconds,
        };
        var description = $"{snapshot.Pending} notification(s) pending; the oldest due one has waited {(long)snapshot.OldestDueAge.TotalMinutes} minute(s)";
        return snapshot.OldestDueAge > limit
            ? HealthCheckResult.Degraded($"{description}, more than {options.Value.DegradedAfterMinutes}.", data: data)
            : HealthCheckResult.Healthy(description + ".", data);
    }
}

/// <summary>
/// Observable gauges of the outbox, created when the app serves (not for migrate or seed). A scrape reads
/// the database at most every few seconds, however many exporters collect.
/// </summary>
internal sealed class OutboxGauges(IMeterFactory meters, OutboxBacklog backlog, ILogger<OutboxGauges> logger) : IHostedService
{
    private static readonly TimeSpan Fresh = TimeSpan.FromSeconds(5);
    private readonly Lock _gate = new();
    private OutboxBacklog.Snapshot? _last;
    private long _readAt;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var meter = meters.Create(PortalTelemetry.Name);
        meter.CreateObservableGauge("portal.outbox.depth", () => Read()?.Pending ?? 0, "{notification}", "Notifications waiting to be sent (Pending).");
        meter.CreateObservableGauge("portal.outbox.oldest_pending_age", () => Read()?.OldestDueAge.TotalSeconds ?? 0, "s", "How long the oldest due notification has waited.");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private OutboxBacklog.Snapshot? Read()
    {
        lock (_gate)
        {
            if (_last is null || System.Diagnostics.Stopwatch.GetElapsedTime(_readAt) > Fresh)
            {
                try
                {
                    // Gauge callbacks are synchronous; the read is two index lookups.
                    _last = backlog.ReadAsync(CancellationToken.None).GetAwaiter().GetResult();
                    _readAt = System.Diagnostics.Stopwatch.GetTimestamp();
                }
                catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
                {
                    logger.LogWarning(ex, "Could not read the outbox for its gauges");
                }
            }
            return _last;
        }
    }
}
