using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Infrastructure.Background;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Startup;

namespace Portal.Web.Features.Circulars;

/// <summary>
/// Publishes scheduled circulars whose time has come. Rows are claimed with FOR UPDATE SKIP LOCKED, so
/// several app instances running the scheduler never publish one circular twice.
/// </summary>
public static class PublishDue
{
    public sealed record Command : ICommand<int>;

    internal sealed class Handler(PortalDbContext db, TimeProvider clock, Publication publication) : ICommandHandler<Command, int>
    {
        public async ValueTask<int> Handle(Command request, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            var ids = await db.LockAsync(
                $"""SELECT id AS "Value" FROM circulars WHERE status = 'Scheduled' AND scheduled_publish_at <= {now} ORDER BY scheduled_publish_at LIMIT 20 FOR UPDATE SKIP LOCKED""", ct);
            var due = await db.Circulars.Where(c => ids.Contains(c.Id)).OrderBy(c => c.ScheduledPublishAt)
                .Include(c => c.Rules).Include(c => c.Audience).Include(c => c.Sources)
                .AsSplitQuery()
                .ToListAsync(ct);
            foreach (var circular in due)
                await publication.PublishAsync(circular, null, now, ct);
            await db.SaveChangesAsync(ct);
            return due.Count;
        }
    }
}

internal sealed class ScheduledPublishing(IServiceScopeFactory scopes, IOptions<PortalOptions> options, ILogger<ScheduledPublishing> logger)
    : PeriodicCommand<PublishDue.Command, int>(scopes, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.SchedulerIntervalSeconds);

    protected override void Report(ILogger logger, int published)
    {
        if (published > 0)
            logger.LogInformation("Published {Count} scheduled circular(s)", published);
    }
}
