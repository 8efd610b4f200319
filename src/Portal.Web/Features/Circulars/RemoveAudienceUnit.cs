using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Auth;

namespace Portal.Web.Features.Circulars;

/// <summary>An officer takes a unit (and its subtree) out of the working copy's audience.</summary>
public static class RemoveAudienceUnit
{
    public sealed record Command : CircularTransition, ICommand<Done>
    {
        public Guid UnitId { get; init; }
    }

    internal sealed class Handler(ICurrentUser user, PortalDbContext db, TimeProvider clock) : ICommandHandler<Command, Done>
    {
        public async ValueTask<Done> Handle(Command request, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            var circular = await db.LoadForChangeAsync(request.Id, request.Version, ct);
            var unit = await db.Units.AsNoTracking().Where(u => u.Id == request.UnitId).Select(u => u.Name + " (" + u.Code + ")").FirstOrDefaultAsync(ct);
            circular.RemoveAudienceUnit(request.UnitId, user.Id, now);
            db.Audit(circular, "AudienceUnitRemoved", user.Id, now, unit, JsonSerializer.Serialize(new { unit = request.UnitId }));
            await db.SaveChangesAsync(ct);
            return Done.Value;
        }
    }
}
