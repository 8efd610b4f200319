using System.Text.Json;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Features.Evidence;
using Portal.Web.Infrastructure.Auth;
using Portal.Web.Infrastructure.Pipeline;

namespace Portal.Web.Features.VendorCases;

/// <summary>
/// An officer links the lab's re-test of an accepted claim: evidence recorded on the circular through the evidence
/// pages (its files streamed, hashed and sniffed there, with their custody log). A second officer verifies afterwards.
/// </summary>
public static class RecordRetest
{
    public sealed record Command : ICommand<Done>
    {
        public Guid CaseId { get; set; }
        public Guid ClaimId { get; set; }
        public uint? Version { get; init; }
        public Guid? EvidenceId { get; init; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.EvidenceId).NotNull().WithMessage("Choose the evidence of the lab's re-test.");
    }

    internal sealed class Handler(ICurrentUser user, PortalDbContext db, TimeProvider clock) : ICommandHandler<Command, Done>
    {
        public async ValueTask<Done> Handle(Command request, CancellationToken ct)
        {
            var vendorCase = await db.CaseForOfficerAsync(user, request.CaseId, ct);
            var claim = await db.ClaimForChangeAsync(vendorCase.Id, request.ClaimId, request.Version, ct);
            var evidence = await db.Evidence.AsNoTracking()
                .Where(e => e.Id == request.EvidenceId && e.CircularId == vendorCase.CircularId && e.SupersededAt == null)
                .Select(e => new { e.Id, e.Title, Files = e.Files.Count }).FirstOrDefaultAsync(ct)
                ?? throw new DomainException("Choose evidence recorded on this circular (and not superseded) as the re-test.");
            if (evidence.Files == 0)
                throw new DomainException("The re-test evidence has no files yet: upload the lab's report on its page first.");
            var now = clock.GetUtcNow();
            var by = user.Id;
            claim.RecordRetest(evidence.Id, by);
            var summary = $"Lab re-test \"{evidence.Title}\" recorded for {SubmitClaim.Describe(claim, vendorCase.ModelName(claim.DeviceModelId))}";
            db.CaseEvents.Add(CaseEvent.Record(vendorCase, CaseEventKind.RetestRecorded, claim.Id, by, now, summary));
            db.AuditEvents.Add(AuditEvent.Record(nameof(VendorCase), vendorCase.Id, "RetestRecorded", by, now, summary,
                JsonSerializer.Serialize(new { claim = claim.Id, evidence = evidence.Id })));
            db.Custody(evidence.Id, "EvidenceLinkedToClaim", by, now, summary, JsonSerializer.Serialize(new { claim = claim.Id }));
            await db.TellVendorAsync(vendorCase, now, ct);
            await db.SaveChangesAsync(ct);
            return Done.Value;
        }
    }
}
