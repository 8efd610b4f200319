using System.Security.Claims;
using System.Text.Json;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Infrastructure.Auth;
using Portal.Web.Infrastructure.Web;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;

namespace Portal.Web.Features.Devices;

/// <summary>A unit commander asks for a flagged device of their subtree to be exempted until a date, saying why.</summary>
public static class RequestExemption
{
    public sealed record Command : ICommand<Done>
    {
        public long FindingId { get; set; }
        public string? Reason { get; init; }
        public DateOnly? Until { get; init; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(TimeProvider clock)
        {
            RuleFor(c => c.Reason).NotEmpty().WithMessage("Say why the device cannot be replaced yet.")
                .MaximumLength(2000).WithMessage("Keep the reason to 2,000 characters or fewer.");
            RuleFor(c => c.Until).NotNull().WithMessage("Give the date the exemption ends.")
                .Must(d => d is null || d > DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)).WithMessage("The exemption must end after today.")
                .Must(d => d is null || d <= DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddDays(366)).WithMessage("An exemption lasts a year at most.");
        }
    }

    internal sealed class Handler(ICurrentUser user, PortalDbContext db, TimeProvider clock) : ICommandHandler<Command, Done>
    {
        public async ValueTask<Done> Handle(Command request, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            var scope = await Overview.ScopeAsync(db, user, ct);
            var finding = await db.ComplianceFindings.FirstOrDefaultAsync(f => f.Id == request.FindingId
                && db.Devices.Any(d => d.Id == f.DeviceId && d.RemovedAt == null
                    && db.StaffMembers.Any(s => s.Id == d.StaffMemberId && s.Unit!.Path.StartsWith(scope.Path))), ct)
                ?? throw new NotFoundException("The finding");
            var userId = user.Id;
            finding.RequestExemption(userId, request.Reason!, new DateTimeOffset(request.Until!.Value.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), now);
            db.AuditEvents.Add(AuditEvent.Record(nameof(ComplianceFinding), finding.DeviceId, "ExemptionRequested", userId, now, request.Reason,
                JsonSerializer.Serialize(new { finding = finding.Id, until = request.Until })));
            await db.SaveChangesAsync(ct);
            return Done.Value;
        }
    }
}

/// <summary>A security officer (not the one who asked) approves or refuses an exemption request.</summary>
public static class DecideExemption
{
    public sealed record Command : ICommand<Done>
    {
        public long FindingId { get; set; }
        public bool Approve { get; init; }
        public string? Note { get; init; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.Note).MaximumLength(2000).WithMessage("Keep the note to 2,000 characters or fewer.");
    }

    internal sealed class Handler(ICurrentUser user, PortalDbContext db, TimeProvider clock) : ICommandHandler<Command, Done>
    {
        public async ValueTask<Done> Handle(Command request, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            var finding = await db.ComplianceFindings.FirstOrDefaultAsync(f => f.Id == request.FindingId, ct) ?? throw new NotFoundException("The finding");
            finding.DecideExemption(user.Id, request.Approve, request.Note, now);
            db.AuditEvents.Add(AuditEvent.Record(nameof(ComplianceFinding), finding.DeviceId, request.Approve ? "ExemptionApproved" : "ExemptionRefused",
                user.Id, now, request.Note, JsonSerializer.Serialize(new { finding = finding.Id })));
            await db.SaveChangesAsync(ct);
            return Done.Value;
        }
    }
}
