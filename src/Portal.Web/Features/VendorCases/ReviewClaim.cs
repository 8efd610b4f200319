using System.Text.Json;
using FluentValidation;
using Mediator;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Infrastructure.Auth;
using Portal.Web.Infrastructure.Pipeline;

namespace Portal.Web.Features.VendorCases;

/// <summary>An officer reviews a claim: accept it as pending verification, reject it with a reason, or ask for more information. The vendor is told.</summary>
public static class ReviewClaim
{
    public sealed record Command : ICommand<Done>
    {
        public Guid CaseId { get; set; }
        public Guid ClaimId { get; set; }
        public uint? Version { get; init; }
        public ClaimStatus? Outcome { get; init; }
        public string? Note { get; init; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Outcome).NotNull().WithMessage("Choose the outcome of the review.")
                .Must(o => o is null or ClaimStatus.PendingVerification or ClaimStatus.Rejected or ClaimStatus.InformationRequested)
                .WithMessage("Accept the claim, reject it, or ask for more information.");
            RuleFor(c => c.Note).MaximumLength(4000).WithMessage("Keep the note to 4,000 characters or fewer (it has {TotalLength}).");
            RuleFor(c => c.Note).NotEmpty().When(c => c.Outcome == ClaimStatus.Rejected).WithMessage("Say why the claim is rejected.");
            RuleFor(c => c.Note).NotEmpty().When(c => c.Outcome == ClaimStatus.InformationRequested).WithMessage("Say what information is needed.");
        }
    }

    internal sealed class Handler(ICurrentUser user, PortalDbContext db, TimeProvider clock) : ICommandHandler<Command, Done>
    {
        public async ValueTask<Done> Handle(Command request, CancellationToken ct)
        {
            var vendorCase = await db.CaseForOfficerAsync(user, request.CaseId, ct);
            var claim = await db.ClaimForChangeAsync(vendorCase.Id, request.ClaimId, request.Version, ct);
            var now = clock.GetUtcNow();
            var by = user.Id;
            claim.Review(request.Outcome!.Value, request.Note, by, now);
            var words = claim.Status switch
            {
                ClaimStatus.PendingVerification => "accepted, pending verification",
                ClaimStatus.Rejected => "rejected",
                _ => "more information asked for",
            };
            var summary = $"{SubmitClaim.Describe(claim, vendorCase.ModelName(claim.DeviceModelId))}: {words}";
            db.CaseEvents.Add(CaseEvent.Record(vendorCase, CaseEventKind.ClaimReviewed, claim.Id, by, now, summary));
            db.AuditEvents.Add(AuditEvent.Record(nameof(VendorCase), vendorCase.Id, "ClaimReviewed", by, now, summary,
                JsonSerializer.Serialize(new { claim = claim.Id, outcome = claim.Status.ToString() })));
            await db.TellVendorAsync(vendorCase, now, ct);
            await db.SaveChangesAsync(ct);
            return Done.Value;
        }
    }
}
