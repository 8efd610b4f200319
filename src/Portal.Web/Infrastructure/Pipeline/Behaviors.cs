using System.Diagnostics;
using FluentValidation;
using Mediator;
using Portal.Web.Data;

namespace Portal.Web.Infrastructure.Pipeline;

/// <summary>Set for the whole of a background timer's loop (<see cref="Background.PeriodicCommand{TCommand, TResult}"/>): its commands are routine.</summary>
internal static class RoutineWork
{
    private static readonly AsyncLocal<bool> Routine = new();

    public static bool Active => Routine.Value;

    /// <summary>Marks the calling flow and everything it awaits from here on.</summary>
    public static void Begin() => Routine.Value = true;
}

internal sealed class LoggingBehavior<TMessage, TResponse>(ILogger<LoggingBehavior<TMessage, TResponse>> logger)
    : IPipelineBehavior<TMessage, TResponse> where TMessage : IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken ct)
    {
        var name = RequestName.Of(typeof(TMessage));
        using var activity = Telemetry.PortalTelemetry.Source.StartActivity(name);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await next(message, ct);
            // A timer's command (every second or so) is Debug: the timer reports what it did (PeriodicCommand.Report).
            logger.Log(RoutineWork.Active ? LogLevel.Debug : LogLevel.Information, "Handled {Request} in {ElapsedMs:0.0} ms",
                name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return response;
        }
        catch (ValidationException ex)
        {
            logger.LogInformation("Refused {Request}: {Errors}", name, string.Join("; ", ex.Errors.Select(e => e.ErrorMessage)));
            throw;
        }
    }
}

/// <summary>Runs every validator of the message; any failure stops it before the handler sees it.</summary>
internal sealed class ValidationBehavior<TMessage, TResponse>(IEnumerable<IValidator<TMessage>> validators)
    : IPipelineBehavior<TMessage, TResponse> where TMessage : IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken ct)
    {
        var failures = new List<FluentValidation.Results.ValidationFailure>();
        foreach (var validator in validators)
        {
            var result = await validator.ValidateAsync(message, ct);
            failures.AddRange(result.Errors);
        }
        if (failures.Count > 0)
            throw new ValidationException(failures);
        return await next(message, ct);
    }
}

/// <summary>
/// Commands run in one transaction: either all of a use case is saved or none of it. A command that writes with
/// one statement of its own (<see cref="IOwnTransaction"/>) is spared the empty BEGIN and COMMIT around it.
/// </summary>
internal sealed class TransactionBehavior<TMessage, TResponse>(PortalDbContext db)
    : IPipelineBehavior<TMessage, TResponse> where TMessage : IMessage
{
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken ct)
    {
        if (message is not IBaseCommand || message is IOwnTransaction || db.Database.CurrentTransaction is not null)
            return await next(message, ct);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var response = await next(message, ct);
        await tx.CommitAsync(ct);
        return response;
    }
}

/// <summary>
/// A command whose whole write is one statement or one batch it commits itself (the acknowledgement batches):
/// atomic without the request's transaction, which would only hold a pooled connection while it waits
/// (docs/decisions/0061-acknowledgement-storm-and-dashboards-at-full-scale.md).
/// </summary>
public interface IOwnTransaction;

internal static class RequestName
{
    public static string Of(Type type) => type.DeclaringType is { } outer ? $"{outer.Name}.{type.Name}" : type.Name;
}

/// <summary>What a command answers when it has nothing to say but "done".</summary>
public readonly record struct Done
{
    public static readonly Done Value;
}
