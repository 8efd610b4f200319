using FluentValidation;
using Portal.Web.Data;
using Portal.Web.Domain;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Auth;

namespace Portal.Web.Features.Circulars;

/// <summary>The author sends a draft, or an amendment with its change summary, to an approver.</summary>
public static class Submit
{
    public sealed record Command : CircularTransition, ICommand<Done>
    {
        public string? ChangeSummary { get; init; }
        public RevisionKind? ChangeKind { get; init; }

        /// <summary>Posted by the form only so a refused amendment is shown again with its fields.</summary>
        public bool IsAmendment { get; init; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() =>
            RuleFor(c => c.ChangeSummary).MaximumLength(2000).WithMessage("Keep the change summary to 2,000 characters or fewer.");
    }

    internal sealed class Handler(ICurrentUser user, PortalDbContext db, TimeProvider clock) : ICommandHandler<Command, Done>
    {
        public async ValueTask<Done> Handle(Command request, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            var circular = await db.LoadForChangeAsync(request.Id, request.Version, ct);
            var amendment = circular.Amendment == AmendmentStatus.Editing;
            circular.Submit(user.Id, now, request.ChangeSummary, request.ChangeKind);
            db.Audit(circular, amendment ? "AmendmentSubmitted" : "Submitted", user.Id, now,
                amendment ? $"{request.ChangeKind}: {request.ChangeSummary?.Trim()}" : null);
            await db.SaveChangesAsync(ct);
            return Done.Value;
        }
    }
}
