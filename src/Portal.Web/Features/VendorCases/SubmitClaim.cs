using System.Text.Json;
using FluentValidation;
using Mediator;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Infrastructure.Auth;
using Portal.Web.Infrastructure.Pipeline;

namespace Portal.Web.Features.VendorCases;

/// <summary>
/// A vendor user claims a remediation of one of the case's models, with the fields its kind needs: a firmware update
/// (version, release date, link), a data relocation (from and to ISO 3166 countries, planned or completed date), a
/// service change or an app or permission change (described). The officers are told; files follow on the case page.
/// </summary>
public static class SubmitClaim
{
    public sealed record Command : ICommand<Guid>
    {
        public Guid CaseId { get; set; }
        public Guid? DeviceModelId { get; init; }
        public RemediationKind? Kind { get; init; }
        public string? Description { get; init; }
        public string? FirmwareVersion { get; init; }
        public DateOnly? ReleasedOn { get; init; }
        public string? Link { get; init; }
        public string? RelocatedFrom { get; init; }
        public string? RelocatedTo { get; init; }
        public DateOnly? PlannedOn { get; init; }
        public DateOnly? CompletedOn { get; init; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(TimeProvider clock)
        {
            var tomorrow = () => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddDays(1);
            RuleFor(c => c.DeviceModelId).NotNull().WithMessage("Choose the model.");
            RuleFor(c => c.Kind).NotNull().WithMessage("Choose what kind of remediation this is.").IsInEnum().WithMessage("Choose a kind from the list.");
            RuleFor(c => c.Description).MaximumLength(4000).WithMessage("Keep the description to 4,000 characters or fewer (it has {TotalLength}).");
            RuleFor(c => c.Description).NotEmpty().When(c => c.Kind is RemediationKind.ServiceChange or RemediationKind.AppOrPermissionChange)
                .WithMessage("Describe what changed.");
            RuleFor(c => c.FirmwareVersion).MaximumLength(100).WithMessage("Keep the firmware version to 100 characters or fewer (it has {TotalLength}).");
            RuleFor(c => c.Link).MaximumLength(2000).WithMessage("Keep the link to 2,000 characters or fewer (it has {TotalLength}).")
                .Must(l => string.IsNullOrWhiteSpace(l) || Uri.TryCreate(l.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http")
                .WithMessage("Give the link as a web address starting with https://.");
            When(c => c.Kind == RemediationKind.FirmwareUpdate, () =>
            {
                RuleFor(c => c.FirmwareVersion).NotEmpty().WithMessage("Give the firmware version that fixes the model.");
                RuleFor(c => c.ReleasedOn).NotNull().WithMessage("Give the firmware's release date.");
                RuleFor(c => c.Link).NotEmpty().WithMessage("Give a link to the firmware or its release note.");
            });
            RuleFor(c => c.ReleasedOn).Must(d => d is null || d.Value.Year >= 2000 && d <= tomorrow()).WithMessage("Give a release date from 2000 up to today.");
            When(c => c.Kind == RemediationKind.DataRelocation, () =>
            {
                RuleFor(c => c.RelocatedFrom).NotEmpty().WithMessage("Give the country the data was kept in, as an ISO 3166 code such as CN.")
                    .Must(Countries.IsIso3166).When(c => !string.IsNullOrWhiteSpace(c.RelocatedFrom))
                    .WithMessage("\"{PropertyValue}\" is not an ISO 3166 country code: use two letters, such as CN or SG.");
                RuleFor(c => c.RelocatedTo).NotEmpty().WithMessage("Give the country the data moves to, as an ISO 3166 code such as IN.")
                    .Must(Countries.IsIso3166).When(c => !string.IsNullOrWhiteSpace(c.RelocatedTo))
                    .WithMessage("\"{PropertyValue}\" is not an ISO 3166 country code: use two letters, such as CN or SG.");
                RuleFor(c => c.RelocatedTo).Must((c, to) => !string.Equals(c.RelocatedFrom?.Trim(), to?.Trim(), StringComparison.OrdinalIgnoreCase))
                    .When(c => !string.IsNullOrWhiteSpace(c.RelocatedTo)).WithMessage("The data moves to a different country than it was in.");
                RuleFor(c => c.PlannedOn).NotNull().When(c => c.CompletedOn is null).WithMessage("Give the planned or the completed date of the move.");
            });
            RuleFor(c => c.PlannedOn).Must(d => d is null || d.Value.Year >= 2000 && d.Value.Year <= 2100).WithMessage("Give a planned date between 2000 and 2100.");
            RuleFor(c => c.CompletedOn).Must(d => d is null || d.Value.Year >= 2000 && d <= tomorrow()).WithMessage("Give a completed date from 2000 up to today.");
        }
    }

    internal sealed class Handler(ICurrentUser user, PortalDbContext db, TimeProvider clock) : ICommandHandler<Command, Guid>
    {
        public async ValueTask<Guid> Handle(Command request, CancellationToken ct)
        {
            var vendorCase = await db.CaseForVendorAsync(user, request.CaseId, ct);
            var model = vendorCase.Models.FirstOrDefault(m => m.DeviceModelId == request.DeviceModelId)
                ?? throw new DomainException("That model is not part of this case: choose one of the models the circular names.");
            var now = clock.GetUtcNow();
            var by = await db.ActorIdAsync(user, clock, ct);
            var relocation = request.Kind == RemediationKind.DataRelocation;
            var firmware = request.Kind == RemediationKind.FirmwareUpdate;
            var claim = RemediationClaim.Submit(vendorCase.Id, model.DeviceModelId, request.Kind!.Value, request.Description ?? "",
                firmware ? request.FirmwareVersion : null, firmware ? request.ReleasedOn : null, request.Link,
                relocation ? request.RelocatedFrom : null, relocation ? request.RelocatedTo : null,
                relocation ? request.PlannedOn : null, relocation ? request.CompletedOn : null, by, now);
            db.RemediationClaims.Add(claim);
            db.CaseEvents.Add(CaseEvent.Record(vendorCase, CaseEventKind.ClaimSubmitted, claim.Id, by, now, Describe(claim, model.MarketingName)));
            if (claim.CompletedOn is { } completed)
                db.CaseEvents.Add(CaseEvent.Record(vendorCase, CaseEventKind.RelocationCompleted, claim.Id, by, now,
                    $"Data of {model.MarketingName} moved from {claim.RelocatedFrom} to {claim.RelocatedTo} on {completed:yyyy-MM-dd}"));
            db.AuditEvents.Add(AuditEvent.Record(nameof(VendorCase), vendorCase.Id, "ClaimSubmitted", by, now, Describe(claim, model.MarketingName),
                JsonSerializer.Serialize(new { claim = claim.Id, model = model.DeviceModelId, kind = claim.Kind.ToString() })));
            await db.TellOfficersAsync(vendorCase, now, ct);
            await db.SaveChangesAsync(ct);
            return claim.Id;
        }
    }

    public static string Describe(RemediationClaim claim, string model) => claim.Kind switch
    {
        RemediationKind.FirmwareUpdate => $"Firmware {claim.FirmwareVersion} claimed for {model}",
        RemediationKind.DataRelocation => $"Data relocation from {claim.RelocatedFrom} to {claim.RelocatedTo} claimed for {model}",
        RemediationKind.ServiceChange => $"Service change claimed for {model}",
        _ => $"App or permission change claimed for {model}",
    };
}
