using Portal.Web.Data;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Auth;

namespace Portal.Web.Features.Circulars;

/// <summary>An officer opens a published circular for amendment; readers keep the published revision until the amendment is approved.</summary>
public static class Amend
{
    public sealed record Command : CircularTransition, ICommand<Done>;

    internal sealed class Handler(ICurrentUser user, PortalDbContext db, TimeProvider clock) : ICommandHandler<Command, Done>
    {
        public async ValueTask<Done> Handle(Command request, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            var circular = await db.LoadForChangeAsync(request.Id, request.Version, ct);
            circular.StartAmendment(user.Id, now);
            db.Audit(circular, "AmendmentStarted", user.Id, now);
            await db.SaveChangesAsync(ct);
            return Done.Value;
        }
    }
}
