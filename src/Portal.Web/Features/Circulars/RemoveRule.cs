using System.Text.Json;
using Portal.Web.Data;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Auth;

namespace Portal.Web.Features.Circulars;

/// <summary>An officer removes a rule from the working copy; published revisions keep theirs.</summary>
public static class RemoveRule
{
    public sealed record Command : CircularTransition, ICommand<Done>
    {
        public Guid RuleId { get; init; }
    }

    internal sealed class Handler(ICurrentUser user, PortalDbContext db, TimeProvider clock) : ICommandHandler<Command, Done>
    {
        public async ValueTask<Done> Handle(Command request, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            var circular = await db.LoadForChangeAsync(request.Id, request.Version, ct);
            var rule = circular.Rules.FirstOrDefault(r => r.Id == request.RuleId);
            var description = rule is null ? null : (await RuleNames.ForAsync(db, [rule], ct)).Describe(rule);
            circular.RemoveRule(request.RuleId, user.Id, now);
            db.Audit(circular, "RuleRemoved", user.Id, now, description, JsonSerializer.Serialize(new { rule = request.RuleId }));
            await db.SaveChangesAsync(ct);
            return Done.Value;
        }
    }
}
