using Portal.Web.Data;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;

namespace Portal.Web.Features.Circulars;

/// <summary>An officer opens a published circular for amendment; readers keep the published revision until the amendment is approved.</summary>
public static class Amend
{
    public sealed record Command : CircularTransition, ICommand<Done>;

    internal sealed class Handler(PortalDbContext db, TimeProvider clock) : ICommandHandler<Command, Done>
    {
        public async ValueTask<Done> Handle(Command request, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            var circular = await db.LoadForChangeAsync(request.Id, request.Version, ct);
            circular.StartAmendment(request.ActorId, now);
            db.Audit(circular, "AmendmentStarted", request.ActorId, now);
            await db.SaveChangesAsync(ct);
            return Done.Value;
        }
    }
}
