using Microsoft.Extensions.Options;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;

namespace Portal.Web.Features.Notifications;

/// <summary>
/// Sends <see cref="Dispatch.Command"/> every <see cref="DispatchOptions.IntervalSeconds"/>, and again at
/// once while batches come back full. On shutdown it stops taking notifications; those being sent are
/// finished and recorded (Dispatch ignores the stopping token once a row is claimed).
/// </summary>
internal sealed class NotificationDispatcher(IServiceScopeFactory scopes, IOptions<DispatchOptions> options, ILogger<NotificationDispatcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        Infrastructure.Pipeline.RoutineWork.Begin();
        if (!o.Enabled)
        {
            logger.LogInformation("Notification dispatch is disabled (Portal:Dispatch:Enabled)");
            return;
        }
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(o.IntervalSeconds));
        try
        {
            do
            {
                await DispatchWhileFullAsync(o.BatchSize, stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task DispatchWhileFullAsync(int batchSize, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var result = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new Dispatch.Command(batchSize), stoppingToken);
                if (result.Claimed > 0)
                    logger.Log(result.Failed + result.Bounced + result.Retried > 0 ? LogLevel.Warning : LogLevel.Information,
                        "Dispatched {Claimed} notification(s): {Sent} sent, {Retried} to retry, {Failed} failed, {Bounced} bounced (details in notification_attempts)",
                        result.Claimed, result.Sent, result.Retried, result.Failed, result.Bounced);
                if (result.Claimed < batchSize)
                    return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(ex, "Notification dispatch failed; will retry");
                return;
            }
        }
    }
}
