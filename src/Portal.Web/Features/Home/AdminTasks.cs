using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;

namespace Portal.Web.Features.Home;

/// <summary>An administrator's start: accounts locked out after failed sign-ins, which may need a word with their owner.</summary>
public static class AdminTasks
{
    public sealed record Query : IRequest<Result>;

    public sealed record Result(int Locked);

    internal sealed class Handler(PortalDbContext db, TimeProvider clock) : IRequestHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query request, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            return new Result(await db.Users.CountAsync(u => u.LockoutEnd != null && u.LockoutEnd > now, ct));
        }
    }
}

public sealed class AdminTasksViewComponent(IMediator mediator) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync() =>
        View("~/Features/Home/AdminTasks.cshtml", await mediator.Send(new AdminTasks.Query()));
}
