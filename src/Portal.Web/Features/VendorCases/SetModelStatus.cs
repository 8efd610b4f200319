using System.Security.Claims;
using System.Text.Json;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Infrastructure.Auth;
using Portal.Web.Infrastructure.Localization;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Web;

namespace Portal.Web.Features.VendorCases;

/// <summary>
/// A vendor user says where one of its models stands: affected, not affected, a fix claimed (or back to
/// unknown). Only officers mark a fix verified, after a lab re-test; a model the case does not name is refused.
/// </summary>
public static class SetModelStatus
{
    public sealed record Command : ICommand<Done>
    {
        public Guid CaseId { get; set; }
        public Guid? DeviceModelId { get; init; }
        public ModelStatus? Status { get; init; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.DeviceModelId).NotNull().WithMessage("Choose the model.");
            RuleFor(c => c.Status).NotNull().WithMessage("Choose the model's status.").IsInEnum().WithMessage("Choose a status from the list.")
                .NotEqual(ModelStatus.FixVerified).WithMessage("Only the security officers mark a fix verified, after their lab has re-tested it. Choose \"fix claimed\" to tell them of your fix.");
        }
    }

    internal sealed class Handler(ICurrentUser user, PortalDbContext db, TimeProvider clock) : ICommandHandler<Command, Done>
    {
        public async ValueTask<Done> Handle(Command request, CancellationToken ct)
        {
            var vendorCase = await db.CasesVisibleTo(user).Include(c => c.Models)
                .FirstOrDefaultAsync(c => c.Id == request.CaseId, ct) ?? throw new NotFoundException("The case");
            var now = clock.GetUtcNow();
            var by = await db.ActorIdAsync(user, clock, ct);
            var model = vendorCase.SetStatusByVendor(request.DeviceModelId!.Value, request.Status!.Value, now);
            db.AuditEvents.Add(AuditEvent.Record(nameof(VendorCase), vendorCase.Id, "ModelStatusSet", by, now, $"{model.MarketingName}: {model.Status.Words()}",
                JsonSerializer.Serialize(new { model = model.DeviceModelId, status = model.Status.ToString() })));
            db.CaseEvents.Add(CaseEvent.Record(vendorCase, CaseEventKind.ModelStatusSet, model.DeviceModelId, by, now, $"{model.MarketingName}: {model.Status.Words()}"));
            await db.SaveChangesAsync(ct);
            return Done.Value;
        }
    }
}
