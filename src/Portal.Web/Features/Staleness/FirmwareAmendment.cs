using Microsoft.EntityFrameworkCore;
using Mediator;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Features.Circulars;
using Portal.Web.Infrastructure.Auth;
using Portal.Web.Infrastructure.Pipeline;

namespace Portal.Web.Features.Staleness;

/// <summary>
/// A verified firmware fix turned into a draft amendment: the rules reaching the model are limited to firmware below the
/// fixed version, and the change summary cites the claim. The officer reviews it and submits it as any amendment; an
/// approver approves it. The amendment is started if none is in progress; one being edited is changed in place. Which
/// rules change, and how, is <see cref="FirmwareRewrite"/>'s (docs/decisions/0046-issue-9-leftovers.md).
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
            var offer = (await FirmwareFixes.OfferedAsync(db, circular.Id, ct, circular.Rules)).FirstOrDefault(o => o.Claim.Id == request.ClaimId)
                ?? throw new DomainException("That fix is not offered for this circular: it is not verified, or the rules already cover only firmware below its version.");
            var claim = offer.Claim;
            var version = claim.FirmwareVersion!;
            var model = offer.Model.MarketingName;
            var vendor = await db.VendorCases.Where(v => v.Id == claim.CaseId)
                .Join(db.VendorOrganisations, v => v.VendorOrganisationId, o => o.Id, (v, o) => o.Name).FirstAsync(ct);
            if (circular.Amendment == AmendmentStatus.None)
            {
                circular.StartAmendment(user.Id, now);
                db.Audit(circular, "AmendmentStarted", user.Id, now);
            }
            else if (circular.Amendment != AmendmentStatus.Editing)
                throw new DomainException("The amendment in progress is waiting for an approver: it must be approved or returned first.");

            foreach (var change in offer.Plan.Changes)
            {
                var rule = change.Rule;
                circular.RemoveRule(rule.Id, user.Id, now);
                db.Audit(circular, "RuleRemoved", user.Id, now);
                if (change.MovedTacs is { } moved)
                {
                    circular.AddRule(rule.ManufacturerId, null, null, rule.TacPrefixes.Except(moved), rule.FirmwareBelow, rule.Action, rule.Note, user.Id, now);
                    circular.AddRule(rule.ManufacturerId, null, null, moved, version, rule.Action, rule.Note, user.Id, now);
                    db.Audit(circular, "RuleAdded", user.Id, now, $"TAC {string.Join(", ", rule.TacPrefixes.Except(moved))}");
                    db.Audit(circular, "RuleAdded", user.Id, now, $"{model} (TAC {string.Join(", ", moved)}): firmware below {version}");
                }
                else
                {
                    circular.AddRule(rule.ManufacturerId, rule.DeviceModelId, rule.ModelPattern, rule.TacPrefixes, version, rule.Action, rule.Note, user.Id, now);
                    db.Audit(circular, "RuleAdded", user.Id, now, $"{model}: firmware below {version}");
                }
            }
            var released = claim.ReleasedOn is { } on ? $", released {on:d MMM yyyy}" : "";
            var left = offer.Plan.Left.Count == 0 ? ""
                : $" {offer.Plan.Left.Count} other rule(s) reaching {model} together with other models (by pattern or the whole manufacturer) still cover every firmware: edit them if {model} {version} or later should not be covered.";
            circular.ProposeChange(
                $"{vendor} released firmware {version} for {model}{released}; the lab's re-test confirmed the fix "
                + $"(claim of {claim.SubmittedAt:d MMM yyyy}, verified {claim.VerifiedAt:d MMM yyyy}). The rules now cover {model} only below firmware {version}.{left}",
                RevisionKind.Material, user.Id, now);
            db.Audit(circular, "FirmwareAmendmentDrafted", user.Id, now, data: System.Text.Json.JsonSerializer.Serialize(new { claim = request.ClaimId }));
            await db.SaveChangesAsync(ct);
            return Done.Value;
        }
    }
}
