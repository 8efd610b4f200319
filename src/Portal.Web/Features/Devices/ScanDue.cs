using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Web.Data;
using Mediator;
using Portal.Web.Infrastructure.Background;

namespace Portal.Web.Features.Devices;

/// <summary>
/// The periodic run (hourly by default, so at least nightly): exemptions whose end has come are flagged again
/// and the commander who asked for them is told, then every device is checked against every published circular,
/// which also resolves findings of circulars withdrawn or superseded since. Both are single statements; several
/// instances running it at once only repeat work that changes nothing.
/// </summary>
public static class ScanDue
{
    public sealed record Command : ICommand<Result>;

    public sealed record Result(int ExemptionsEnded, Compliance.Counts Scan);

    internal sealed class Handler(PortalDbContext db, TimeProvider clock, Compliance compliance) : ICommandHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command request, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            var ended = await db.Database.SqlQuery<int>($"""
                WITH ended AS (
                    UPDATE compliance_findings SET state = 'Flagged', exemption_state = 'Expired'
                    WHERE state = 'Exempted' AND exemption_expires_at <= {now}
                    RETURNING circular_id, revision_number, exemption_requested_by_id, device_id
                ),
                told AS (
                    INSERT INTO notifications (circular_id, revision_number, purpose, channel, user_id, unit_id, address, language, state,
                                               attempts, next_attempt_at, created_at, device_id)
                    SELECT e.circular_id, e.revision_number, 'ExemptionExpired', 'Email', u.id, u.unit_id, u.email, u.language, 'Pending', 0, {now}, {now}, e.device_id
                    FROM ended e JOIN users u ON u.id = e.exemption_requested_by_id
                    WHERE u.email IS NOT NULL
                    RETURNING 1
                )
                SELECT (SELECT count(*)::int FROM ended) AS "Value"
                """).ToListAsync(ct);
            return new Result(ended[0], await compliance.ScanAllAsync(now, ct));
        }
    }
}

internal sealed class ComplianceScanning(IServiceScopeFactory scopes, IOptions<DevicesOptions> options, ILogger<ComplianceScanning> logger)
    : PeriodicCommand<ScanDue.Command, ScanDue.Result>(scopes, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.ScanIntervalSeconds);

    protected override void Report(ILogger logger, ScanDue.Result result) =>
        logger.LogInformation("Compliance scan: {Ended} exemption(s) ended, {Flagged} finding(s) opened, {Resolved} resolved",
            result.ExemptionsEnded, result.Scan.Flagged, result.Scan.Resolved);
}
