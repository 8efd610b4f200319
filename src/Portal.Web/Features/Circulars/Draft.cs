using FluentValidation;
using Portal.Web.Data;
using Portal.Web.Domain;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Auth;

namespace Portal.Web.Features.Circulars;

/// <summary>An officer starts a new circular as a draft.</summary>
public static class Draft
{
    public sealed record Command : CircularForm, ICommand<Guid>
    {
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(TimeProvider clock) => Include(new CircularFormValidator(clock));
    }

    internal sealed class Handler(ICurrentUser user, PortalDbContext db, TimeProvider clock) : ICommandHandler<Command, Guid>
    {
        public async ValueTask<Guid> Handle(Command request, CancellationToken ct)
        {
            var circular = Circular.Draft(request.ToContent(), user.Id, clock.GetUtcNow());
            db.Circulars.Add(circular);
            db.Audit(circular, "Drafted", user.Id, circular.CreatedAt);
            await db.SaveChangesAsync(ct);
            return circular.Id;
        }
    }
}
