namespace Portal.Web.Infrastructure.Mediator;

/// <summary>A request that answers with <typeparamref name="TResponse"/>.</summary>
public interface IRequest<out TResponse>;

/// <summary>A request that changes state: it runs inside one database transaction.</summary>
public interface ICommand<out TResponse> : IRequest<TResponse>;

public interface IRequestHandler<in TRequest, TResponse> where TRequest : IRequest<TResponse>
{
    Task<TResponse> Handle(TRequest request, CancellationToken ct);
}

public delegate Task<TResponse> RequestHandlerDelegate<TResponse>();

/// <summary>A step around every handler; registered in the order they wrap (first is outermost).</summary>
public interface IPipelineBehavior<in TRequest, TResponse> where TRequest : IRequest<TResponse>
{
    Task<TResponse> Handle(TRequest request, RequestHandlerDelegate<TResponse> next, CancellationToken ct);
}

public interface IMediator
{
    Task<TResponse> Send<TResponse>(IRequest<TResponse> request, CancellationToken ct = default);
}

public readonly record struct Done
{
    public static readonly Done Value;
}

internal sealed class Mediator(IServiceProvider services) : IMediator
{
    // One closed dispatcher per request type, made by reflection once rather than on every request.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, object> Dispatchers = new();

    public Task<TResponse> Send<TResponse>(IRequest<TResponse> request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var dispatcher = (IRequestDispatcher<TResponse>)Dispatchers.GetOrAdd(request.GetType(), static (type, response) =>
            Activator.CreateInstance(typeof(RequestDispatcher<,>).MakeGenericType(type, response))!, typeof(TResponse));
        return dispatcher.Send(request, services, ct);
    }

    private interface IRequestDispatcher<TResponse>
    {
        Task<TResponse> Send(IRequest<TResponse> request, IServiceProvider services, CancellationToken ct);
    }

    private sealed class RequestDispatcher<TRequest, TResponse> : IRequestDispatcher<TResponse>
        where TRequest : IRequest<TResponse>
    {
        public Task<TResponse> Send(IRequest<TResponse> request, IServiceProvider services, CancellationToken ct)
        {
            var typed = (TRequest)request;
            var handler = services.GetRequiredService<IRequestHandler<TRequest, TResponse>>();
            RequestHandlerDelegate<TResponse> pipeline = () => handler.Handle(typed, ct);
            foreach (var behavior in services.GetServices<IPipelineBehavior<TRequest, TResponse>>().Reverse())
            {
                var next = pipeline;
                pipeline = () => behavior.Handle(typed, next, ct);
            }
            return pipeline();
        }
    }
}
