using Portal.Web.Infrastructure.Localization;
using System.Text.Json;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Auth;

namespace Portal.Web.Features.Circulars;

/// <summary>An officer marks a published circular as superseded by another, named by its reference number; both pages link to each other.</summary>
public static class Supersede
{
    public sealed record Command : CircularTransition, ICommand<Done>
    {
        public string? ReplacementReference { get; init; }
        public string? Reason { get; init; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.ReplacementReference).NotEmpty().WithMessage("Give the reference number of the circular that replaces this one.");
            RuleFor(c => c.Reason).NotEmpty().WithMessage("Say why the circular is superseded; readers will see it.")
                .MaximumLength(2000).WithMessage("Keep the reason to 2,000 characters or fewer.");
        }
    }

    internal sealed class Handler(ICurrentUser user, PortalDbContext db, TimeProvider clock, Devices.Compliance compliance) : ICommandHandler<Command, Done>
    {
        public async ValueTask<Done> Handle(Command request, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            var circular = await db.LoadForChangeAsync(request.Id, request.Version, ct);
            var reference = request.ReplacementReference!.Trim().ToUpperInvariant();
            var replacement = await db.Circulars.FirstOrDefaultAsync(c => c.ReferenceNumber == reference, ct)
                ?? throw new ValidationException([Sentences.Failure(
                    nameof(Command.ReplacementReference), new Sentence("No circular has the reference number {0}.", reference))]);
            circular.SupersedeBy(replacement, user.Id, now, request.Reason!);
            db.Audit(circular, "Superseded", user.Id, now, request.Reason,
                JsonSerializer.Serialize(new { supersededBy = replacement.Id, reference = replacement.ReferenceNumber }));
            await db.SaveChangesAsync(ct);
            await compliance.ResolveCircularAsync(circular.Id, CircularStatus.Superseded, now, ct);
            return Done.Value;
        }
    }
}
