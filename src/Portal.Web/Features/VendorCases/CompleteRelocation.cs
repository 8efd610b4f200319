using FluentValidation;
using Mediator;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Infrastructure.Auth;
using Portal.Web.Infrastructure.Pipeline;

namespace Portal.Web.Features.VendorCases;

/// <summary>The vendor reports that a planned data relocation is done: an event that can change the advice.</summary>
public static class CompleteRelocation
{
    public sealed record Command : ICommand<Done>
    {
        public Guid CaseId { get; set; }
        public Guid ClaimId { get; set; }
        public uint? Version { get; init; }
        public DateOnly? CompletedOn { get; init; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(TimeProvider clock)
        {
            RuleFor(c => c.CompletedOn).NotNull().WithMessage("Give the date the move was completed.")
                .Must(d => d is null || d.Value.Year >= 2000 && d <= DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddDays(1))
                .WithMessage("Give a completed date from 2000 up to today.");
        }
    }

    internal sealed class Handler(ICurrentUser user, PortalDbContext db, TimeProvider clock) : ICommandHandler<Command, Done>
    {
        public async ValueTask<Done> Handle(Command request, CancellationToken ct)
        {
            var vendorCase = await db.CaseForVendorAsync(user, request.CaseId, ct);
            var claim = await db.ClaimForChangeAsync(vendorCase.Id, request.ClaimId, request.Version, ct);
            var now = clock.GetUtcNow();
            var by = user.Id;
            claim.CompleteRelocation(request.CompletedOn!.Value);
            db.CaseEvents.Add(CaseEvent.Record(vendorCase, CaseEventKind.RelocationCompleted, claim.Id, by, now,
                $"Data of {vendorCase.ModelName(claim.DeviceModelId)} moved from {claim.RelocatedFrom} to {claim.RelocatedTo} on {claim.CompletedOn:yyyy-MM-dd}"));
            db.AuditEvents.Add(AuditEvent.Record(nameof(VendorCase), vendorCase.Id, "RelocationCompleted", by, now, $"{claim.CompletedOn:yyyy-MM-dd}"));
            await db.TellOfficersAsync(vendorCase, now, ct);
            await db.SaveChangesAsync(ct);
            return Done.Value;
        }
    }
}
