using System.Text.Json;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Features.Evidence;
using Portal.Web.Infrastructure.Auth;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Storage;
using Portal.Web.Infrastructure.Web;

namespace Portal.Web.Features.VendorCases;

/// <summary>
/// A vendor's file on its claim (a release note, a report): streamed, hashed and recognised by content like lab
/// evidence (<see cref="ContentStore.ReceiveAsync"/>), then moved into the store and saved with its custody entry in
/// one transaction; bytes newly stored by a failed save are removed again.
/// </summary>
public static class AttachClaimFile
{
    public sealed record Command(Guid CaseId, Guid ClaimId, string FileName, ReceivedFile File) : ICommand<string>;

    internal sealed class Handler(ICurrentUser user, PortalDbContext db, TimeProvider clock, ContentStore store) : ICommandHandler<Command, string>
    {
        public async ValueTask<string> Handle(Command request, CancellationToken ct)
        {
            var vendorCase = await db.CaseForVendorAsync(user, request.CaseId, ct);
            var claim = await db.ClaimForChangeAsync(vendorCase.Id, request.ClaimId, null, ct);
            var now = clock.GetUtcNow();
            // A machine client's upload is recorded against its client's own account, as its statements are.
            var by = await db.ActorIdAsync(user, clock, ct);
            var name = FileNames.Clean(request.FileName);
            var received = request.File;
            if (claim.Files.Any(f => f.Sha256 == received.Sha256))
                throw new DomainException("This file is already attached to the claim.");
            var file = claim.AttachFile(name, received.Sha256, received.Length, received.Type.ContentType, by, now);
            db.AuditEvents.Add(AuditEvent.Record(nameof(RemediationClaim), claim.Id, "ClaimFileUploaded", by, now, name,
                JsonSerializer.Serialize(new { file = file.Id, sha256 = file.Sha256, length = file.Length, contentType = file.ContentType, givenName = request.FileName })));
            var isNew = received.Keep();
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch when (isNew)
            {
                store.Forget(received.Sha256);
                throw;
            }
            return name;
        }
    }
}

/// <summary>A claim's file, for the vendor's own users and the security officers only; every download is a custody entry.</summary>
public static class DownloadClaimFile
{
    public sealed record Command(Guid CaseId, Guid ClaimId, Guid FileId) : ICommand<Result>;

    public sealed record Result(string Sha256, string FileName, string ContentType);

    internal sealed class Handler(ICurrentUser user, PortalDbContext db, TimeProvider clock) : ICommandHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command request, CancellationToken ct)
        {
            var cases = user.IsInRole(Roles.SecurityOfficer) ? db.VendorCases
                : user.IsInRole(Roles.Vendor) ? db.CasesVisibleTo(user)
                : db.VendorCases.Where(_ => false);
            var file = await db.ClaimFiles.AsNoTracking()
                .Where(f => f.Id == request.FileId && f.ClaimId == request.ClaimId
                    && db.RemediationClaims.Any(c => c.Id == f.ClaimId && c.CaseId == request.CaseId && cases.Any(v => v.Id == c.CaseId)))
                .Select(f => new Result(f.Sha256, f.FileName, f.ContentType))
                .FirstOrDefaultAsync(ct) ?? throw new NotFoundException("The file");
            db.AuditEvents.Add(AuditEvent.Record(nameof(RemediationClaim), request.ClaimId, "ClaimFileDownloaded", user.Id, clock.GetUtcNow(), file.FileName,
                JsonSerializer.Serialize(new { file = request.FileId, sha256 = file.Sha256 })));
            await db.SaveChangesAsync(ct);
            return file;
        }
    }
}
