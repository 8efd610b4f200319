using FluentValidation;
using Portal.Web.Data;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Auth;

namespace Portal.Web.Features.Circulars;

/// <summary>An approver sends a circular back to its author with a reason.</summary>
public static class Return
{
    public sealed record Command : CircularTransition, ICommand<Done>
    {
        public string? Reason { get; init; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() =>
            RuleFor(c => c.Reason).NotEmpty().WithMessage("Say why the circular goes back, so the author knows what to change.")
                .MaximumLength(2000).WithMessage("Keep the reason to 2,000 characters or fewer.");
    }

    internal sealed class Handler(ICurrentUser user, PortalDbContext db, TimeProvider clock) : ICommandHandler<Command, Done>
    {
        public async ValueTask<Done> Handle(Command request, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            var circular = await db.LoadForChangeAsync(request.Id, request.Version, ct);
            circular.Return(user.Id, now, request.Reason!);
            db.Audit(circular, "Returned", user.Id, now, request.Reason);
            await db.SaveChangesAsync(ct);
            return Done.Value;
        }
    }
}
