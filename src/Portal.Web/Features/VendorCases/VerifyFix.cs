using System.Text.Json;
using Mediator;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Infrastructure.Auth;
using Portal.Web.Infrastructure.Pipeline;

namespace Portal.Web.Features.VendorCases;

/// <summary>A second officer (never the one who recorded the re-test) verifies the fix: the claim is verified and the model FixVerified.</summary>
public static class VerifyFix
{
    public sealed record Command : ICommand<Done>
    {
        public Guid CaseId { get; set; }
        public Guid ClaimId { get; set; }
        public uint? Version { get; init; }
    }

    internal sealed class Handler(ICurrentUser user, PortalDbContext db, TimeProvider clock) : ICommandHandler<Command, Done>
    {
        public async ValueTask<Done> Handle(Command request, CancellationToken ct)
        {
            var vendorCase = await db.CaseForOfficerAsync(user, request.CaseId, ct);
            var claim = await db.ClaimForChangeAsync(vendorCase.Id, request.ClaimId, request.Version, ct);
            var now = clock.GetUtcNow();
            var by = user.Id;
            claim.Verify(by, now);
            var model = vendorCase.MarkFixVerified(claim.DeviceModelId, now);
            var summary = $"Fix verified: {SubmitClaim.Describe(claim, model.MarketingName)}";
            db.CaseEvents.Add(CaseEvent.Record(vendorCase, CaseEventKind.FixVerified, claim.Id, by, now, summary));
            db.AuditEvents.Add(AuditEvent.Record(nameof(VendorCase), vendorCase.Id, "FixVerified", by, now, summary,
                JsonSerializer.Serialize(new { claim = claim.Id, model = model.DeviceModelId })));
            await db.TellVendorAsync(vendorCase, now, ct);
            await db.SaveChangesAsync(ct);
            return Done.Value;
        }
    }
}
