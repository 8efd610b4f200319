using System.Text.Json;
using Portal.Web.Data;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Auth;
using Portal.Web.Infrastructure.Localization;

namespace Portal.Web.Features.Circulars;

/// <summary>An officer removes a source from the working copy; published revisions keep theirs.</summary>
public static class RemoveSource
{
    public sealed record Command : CircularTransition, ICommand<Done>
    {
        public Guid SourceId { get; init; }
    }

    internal sealed class Handler(ICurrentUser user, PortalDbContext db, TimeProvider clock) : ICommandHandler<Command, Done>
    {
        public async ValueTask<Done> Handle(Command request, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            var circular = await db.LoadForChangeAsync(request.Id, request.Version, ct);
            var source = circular.Sources.FirstOrDefault(s => s.Id == request.SourceId);
            circular.RemoveSource(request.SourceId, user.Id, now);
            db.Audit(circular, "SourceRemoved", user.Id, now, source is null ? null : $"{source.Kind.Words()} {source.Identifier}",
                JsonSerializer.Serialize(new { source = request.SourceId }));
            await db.SaveChangesAsync(ct);
            return Done.Value;
        }
    }
}
