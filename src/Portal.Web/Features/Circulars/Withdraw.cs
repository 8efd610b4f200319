using FluentValidation;
using Portal.Web.Data;
using Portal.Web.Domain;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Auth;

namespace Portal.Web.Features.Circulars;

/// <summary>An officer withdraws a published circular with a reason readers will see.</summary>
public static class Withdraw
{
    public sealed record Command : CircularTransition, ICommand<Done>
    {
        public string? Reason { get; init; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() =>
            RuleFor(c => c.Reason).NotEmpty().WithMessage("Say why the circular is withdrawn; readers will see it.")
                .MaximumLength(2000).WithMessage("Keep the reason to 2,000 characters or fewer.");
    }

    internal sealed class Handler(ICurrentUser user, PortalDbContext db, TimeProvider clock, Devices.Compliance compliance) : ICommandHandler<Command, Done>
    {
        public async ValueTask<Done> Handle(Command request, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            var circular = await db.LoadForChangeAsync(request.Id, request.Version, ct);
            circular.Withdraw(user.Id, now, request.Reason!);
            db.Audit(circular, "Withdrawn", user.Id, now, request.Reason);
            await db.SaveChangesAsync(ct);
            await compliance.ResolveCircularAsync(circular.Id, CircularStatus.Withdrawn, now, ct);
            return Done.Value;
        }
    }
}
