using Microsoft.EntityFrameworkCore;
using Mediator;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Features.Circulars;
using Portal.Web.Infrastructure.Auth;
using Portal.Web.Infrastructure.Pipeline;

namespace Portal.Web.Features.Staleness;

/// <summary>
/// A verified firmware fix turned into a draft amendment: the rules naming the model are limited to firmware below the
/// fixed version, and the change summary cites the claim. The officer reviews it and submits it as any amendment; an
/// approver approves it. The amendment is started if none is in progress; one being edited is changed in place.
/// </summary>
public static class FirmwareAmendment
{
    public sealed record Command : CircularTransition, ICommand<Done>
    {
        public Guid ClaimId { get; init; }
    }

    internal sealed class Handler(ICurrentUser user, PortalDbContext db, TimeProvider clock) : ICommandHandler<Command, Done>
    {
        public async ValueTask<Done> Handle(Command request, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            var circular = await db.LoadForChangeAsync(request.Id, request.Version, ct);
            var fix = await FirmwareFixes.Offered(db, circular.Id).Where(c => c.Id == request.ClaimId)
                .Select(c => new
                {
                    c.DeviceModelId, Version = c.FirmwareVersion!, c.ReleasedOn, c.SubmittedAt, c.VerifiedAt,
                    Model = db.DeviceModels.Where(m => m.Id == c.DeviceModelId).Select(m => m.MarketingName).First(),
                    Vendor = db.VendorCases.Where(v => v.Id == c.CaseId)
                        .Join(db.VendorOrganisations, v => v.VendorOrganisationId, o => o.Id, (v, o) => o.Name).First(),
                })
                .FirstOrDefaultAsync(ct)
                ?? throw new DomainException("That fix is not offered for this circular: it is not verified, or a rule already covers only firmware below its version.");
            if (circular.Amendment == AmendmentStatus.None)
            {
                circular.StartAmendment(user.Id, now);
                db.Audit(circular, "AmendmentStarted", user.Id, now);
            }
            else if (circular.Amendment != AmendmentStatus.Editing)
                throw new DomainException("The amendment in progress is waiting for an approver: it must be approved or returned first.");

            foreach (var rule in circular.Rules.Where(r => r.DeviceModelId == fix.DeviceModelId && r.FirmwareBelow != fix.Version).ToList())
            {
                circular.RemoveRule(rule.Id, user.Id, now);
                circular.AddRule(rule.ManufacturerId, rule.DeviceModelId, rule.ModelPattern, rule.TacPrefixes, fix.Version, rule.Action, rule.Note, user.Id, now);
                db.Audit(circular, "RuleRemoved", user.Id, now);
                db.Audit(circular, "RuleAdded", user.Id, now, $"{fix.Model}: firmware below {fix.Version}");
            }
            var released = fix.ReleasedOn is { } on ? $", released {on:d MMM yyyy}" : "";
            circular.ProposeChange(
                $"{fix.Vendor} released firmware {fix.Version} for {fix.Model}{released}; the lab's re-test confirmed the fix "
                + $"(claim of {fix.SubmittedAt:d MMM yyyy}, verified {fix.VerifiedAt:d MMM yyyy}). The rule now covers {fix.Model} only below firmware {fix.Version}.",
                RevisionKind.Material, user.Id, now);
            db.Audit(circular, "FirmwareAmendmentDrafted", user.Id, now, data: System.Text.Json.JsonSerializer.Serialize(new { claim = request.ClaimId }));
            await db.SaveChangesAsync(ct);
            return Done.Value;
        }
    }
}
