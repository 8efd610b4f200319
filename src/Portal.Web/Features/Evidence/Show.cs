using System.Security.Claims;
using System.Text.Json;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Infrastructure.Auth;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Web;

namespace Portal.Web.Features.Evidence;

/// <summary>One evidence record as its reader may see it: metadata, files with their SHA-256, findings, and (for officers, approvers and auditors) its custody log.</summary>
public static class Show
{
    public sealed record Query(Guid CircularId, Guid EvidenceId) : IRequest<Result>;

    public sealed record FileRow(Guid Id, string FileName, string ContentType, long Length, string Sha256, string UploadedBy, DateTimeOffset UploadedAt);

    public sealed record FindingRow(Guid Id, DataCategory Category, string? Host, string? IpAddress, string Country, string? Protocol, bool Encrypted, DateTimeOffset? ObservedAt);

    public sealed record CustodyRow(DateTimeOffset OccurredAt, string Actor, string Action, string? Reason);

    public sealed record VendorChoice(Guid Id, string Name, bool Shared);

    public sealed record Result
    {
        public required Guid CircularId { get; init; }
        public required Guid Id { get; init; }
        public required uint Version { get; init; }
        public required string CircularTitle { get; init; }
        public required string? ReferenceNumber { get; init; }
        public required string Title { get; init; }
        public required string Lab { get; init; }
        public required DateOnly TestedOn { get; init; }
        public required string DeviceTested { get; init; }
        public required string? FirmwareTested { get; init; }
        public required string? Method { get; init; }
        public required string RecordedBy { get; init; }
        public required DateTimeOffset RecordedAt { get; init; }
        public required int? CitedFromRevision { get; init; }
        public required DateTimeOffset? SupersededAt { get; init; }
        public required string? SupersededReason { get; init; }
        /// <summary>Why files and findings cannot change now; null while an officer may change them.</summary>
        public required Sentence? ChangeRefusal { get; init; }
        public required bool MayManage { get; init; }
        public required IReadOnlyList<FileRow> Files { get; init; }
        public required IReadOnlyList<FindingRow> Findings { get; init; }
        public required IReadOnlyList<CustodyRow> Custody { get; init; }
        public required IReadOnlyList<VendorChoice> Vendors { get; init; }
    }

    internal sealed class Handler(ICurrentUser user, PortalDbContext db) : IRequestHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query request, CancellationToken ct)
        {
            var visible = await db.EvidenceVisibleToAsync(user, ct);
            var e = await visible.AsNoTracking().Include(x => x.Files).Include(x => x.Findings).AsSplitQuery()
                .FirstOrDefaultAsync(x => x.Id == request.EvidenceId && x.CircularId == request.CircularId, ct)
                ?? throw new NotFoundException("The evidence");
            var circular = await db.Circulars.AsNoTracking().Where(c => c.Id == e.CircularId).FirstAsync(ct);
            var officer = user.IsInRole(Roles.SecurityOfficer);
            var userIds = e.Files.Select(f => f.UploadedById).Append(e.RecordedById).Distinct().ToArray();
            var names = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
            var seesCustody = user.CanReadDrafts || user.IsInRole(Roles.Auditor);
            var custody = !seesCustody ? [] : await db.AuditEvents.AsNoTracking()
                .Where(a => a.EntityType == nameof(EvidenceRecord) && a.EntityId == e.Id).OrderBy(a => a.ChainPosition)
                .Select(a => new CustodyRow(a.OccurredAt, db.Users.Where(u => u.Id == a.ActorId).Select(u => u.DisplayName).FirstOrDefault() ?? "The portal", a.Action, a.Reason))
                .ToListAsync(ct);
            var vendors = !officer ? [] : await db.VendorOrganisations.AsNoTracking().OrderBy(v => v.Name)
                .Select(v => new VendorChoice(v.Id, v.Name, e.SharedWithVendorIds.Contains(v.Id))).ToListAsync(ct);
            return new Result
            {
                CircularId = e.CircularId,
                Id = e.Id,
                Version = e.Version,
                CircularTitle = circular.Text.Title,
                ReferenceNumber = circular.ReferenceNumber,
                Title = e.Title,
                Lab = e.Lab,
                TestedOn = e.TestedOn,
                DeviceTested = e.DeviceTested,
                FirmwareTested = e.FirmwareTested,
                Method = e.Method,
                RecordedBy = names.GetValueOrDefault(e.RecordedById, "?"),
                RecordedAt = e.RecordedAt,
                CitedFromRevision = e.CitedFromRevision,
                SupersededAt = e.SupersededAt,
                SupersededReason = e.SupersededReason,
                ChangeRefusal = e.ChangeRefusal() ?? circular.EditingRefusal(),
                MayManage = officer,
                Files = e.Files.OrderBy(f => f.UploadedAt).Select(f => new FileRow(f.Id, f.FileName, f.ContentType, f.Length, f.Sha256,
                    names.GetValueOrDefault(f.UploadedById, "?"), f.UploadedAt)).ToList(),
                Findings = e.Findings.OrderBy(f => f.ObservedAt).ThenBy(f => f.Id).Select(f => new FindingRow(f.Id, f.Category, f.Host, f.IpAddress,
                    f.Country, f.Protocol, f.Encrypted, f.ObservedAt)).ToList(),
                Custody = custody,
                Vendors = vendors,
            };
        }
    }
}

/// <summary>Someone opened an evidence record: a custody entry, for everyone who may (vendors included).</summary>
public static class RecordView
{
    public sealed record Command(Guid CircularId, Guid EvidenceId) : ICommand<Done>;

    internal sealed class Handler(ICurrentUser user, PortalDbContext db, TimeProvider clock) : ICommandHandler<Command, Done>
    {
        public async ValueTask<Done> Handle(Command request, CancellationToken ct)
        {
            var visible = await db.EvidenceVisibleToAsync(user, ct);
            if (!await visible.AnyAsync(e => e.Id == request.EvidenceId && e.CircularId == request.CircularId, ct))
                throw new NotFoundException("The evidence");
            db.Custody(request.EvidenceId, "EvidenceViewed", user.Id, clock.GetUtcNow());
            await db.SaveChangesAsync(ct);
            return Done.Value;
        }
    }
}

/// <summary>Someone downloads an evidence file: checked like every read, written to the custody log, then streamed from the store.</summary>
public static class Download
{
    public sealed record Command(Guid CircularId, Guid EvidenceId, Guid FileId) : ICommand<Result>;

    public sealed record Result(string Sha256, string FileName, string ContentType, long Length);

    internal sealed class Handler(ICurrentUser user, PortalDbContext db, TimeProvider clock) : ICommandHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command request, CancellationToken ct)
        {
            var visible = await db.EvidenceVisibleToAsync(user, ct);
            var file = await db.EvidenceFiles.AsNoTracking()
                .Where(f => f.Id == request.FileId && f.EvidenceId == request.EvidenceId && visible.Any(e => e.Id == f.EvidenceId && e.CircularId == request.CircularId))
                .Select(f => new Result(f.Sha256, f.FileName, f.ContentType, f.Length))
                .FirstOrDefaultAsync(ct) ?? throw new NotFoundException("The file");
            db.Custody(request.EvidenceId, "EvidenceFileDownloaded", user.Id, clock.GetUtcNow(), file.FileName,
                JsonSerializer.Serialize(new { file = request.FileId, sha256 = file.Sha256 }));
            await db.SaveChangesAsync(ct);
            return file;
        }
    }
}
