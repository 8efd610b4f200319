using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Features.Circulars;

namespace Portal.Web.Features.Home;

/// <summary>
/// An auditor's start: the latest recorded state changes and whether the audit chain still verifies, that is,
/// every event's hash covers its own content and its predecessor's hash (the same check the database trigger makes).
/// </summary>
public static class AuditorTasks
{
    public const int Shown = 10;

    public sealed record Query : IRequest<Result>;

    public sealed record Event(DateTimeOffset At, string? Actor, string EntityType, Guid EntityId, string Action);

    public sealed record Result(int Total, IReadOnlyList<long> BrokenAt, IReadOnlyList<Event> Latest);

    internal sealed class Handler(PortalDbContext db) : IRequestHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query request, CancellationToken ct)
        {
            var broken = await db.Database.SqlQuery<long>($"""
                SELECT e.chain_position AS "Value"
                FROM audit_events e
                LEFT JOIN audit_events p ON p.chain_position = e.chain_position - 1
                WHERE e.previous_hash <> coalesce(p.hash, '\x'::bytea)
                   OR e.hash <> sha256(e.previous_hash || convert_to(audit_event_text(e.chain_position, e.occurred_at, e.actor_id,
                        e.entity_type, e.entity_id, e.action, e.reason, e.data), 'UTF8'))
                ORDER BY 1 LIMIT 10
                """).ToListAsync(ct);
            var latest = await db.AuditEvents.AsNoTracking().OrderByDescending(e => e.ChainPosition).Take(Shown)
                .Select(e => new Event(e.OccurredAt, db.Users.Where(u => u.Id == e.ActorId).Select(u => u.DisplayName).FirstOrDefault(),
                    e.EntityType, e.EntityId, e.Action))
                .ToListAsync(ct);
            return new Result(await db.AuditEvents.CountAsync(ct), broken, latest);
        }
    }
}

public sealed class AuditorTasksViewComponent(IMediator mediator) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync() =>
        View("~/Features/Home/AuditorTasks.cshtml", await mediator.Send(new AuditorTasks.Query()));
}
