using Mediator;
using Portal.Web.Infrastructure.Pipeline;

namespace Portal.Web.Infrastructure.Background;

/// <summary>
/// A hosted service that only sends one mediator command on a timer, in its own scope, and keeps going
/// after a failure. The work itself lives in the command, so tests send it directly and several
/// instances can run it side by side (each command claims or records its rows in its transaction).
/// </summary>
internal abstract class PeriodicCommand<TCommand, TResult>(IServiceScopeFactory scopes, ILogger logger) : BackgroundService
    where TCommand : ICommand<TResult>, new()
{
    protected abstract TimeSpan Interval { get; }

    protected abstract void Report(ILogger logger, TResult result);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        RoutineWork.Begin();
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                Report(logger, await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new TCommand(), stoppingToken));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "{Command} failed; will retry", typeof(TCommand).DeclaringType?.Name ?? typeof(TCommand).Name);
            }
        }
    }
}
