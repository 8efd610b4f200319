using System.Security.Claims;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Infrastructure.Auth;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Web;

namespace Portal.Web.Features.VendorCases;

/// <summary>
/// Which cases a person may see: a vendor user only their own organisation's (whatever id they send),
/// officers, approvers and auditors all. Anything else answers as if it did not exist.
/// </summary>
public static class CaseAccess
{
    public static IQueryable<VendorCase> CasesVisibleTo(this PortalDbContext db, ICurrentUser user)
    {
        if (user.CanReadDrafts || user.IsInRole(Roles.Auditor))
            return db.VendorCases;
        if (user.IsInRole(Roles.Vendor) && user.VendorOrganisationId is { } vendor)
            return db.VendorCases.Where(c => c.VendorOrganisationId == vendor);
        return db.VendorCases.Where(_ => false);
    }
}

/// <summary>The cases a person may see, newest first.</summary>
public static class CaseList
{
    public sealed record Query() : IRequest<IReadOnlyList<Row>>;

    public sealed record Row(Guid Id, Guid CircularId, string? Reference, string Title, string Vendor, DateOnly ResponseDueOn,
        DateTimeOffset? FirstSeenAt, int Models, int Unknown);

    internal sealed class Handler(ICurrentUser user, PortalDbContext db) : IRequestHandler<Query, IReadOnlyList<Row>>
    {
        public async ValueTask<IReadOnlyList<Row>> Handle(Query request, CancellationToken ct) =>
            await db.CasesVisibleTo(user).AsNoTracking().OrderByDescending(c => c.OpenedAt)
                .Select(c => new Row(c.Id, c.CircularId,
                    db.Circulars.Where(x => x.Id == c.CircularId).Select(x => x.ReferenceNumber).First(),
                    db.Circulars.Where(x => x.Id == c.CircularId).Select(x => x.CurrentRevision!.Title).First(),
                    db.VendorOrganisations.Where(v => v.Id == c.VendorOrganisationId).Select(v => v.Name).First(),
                    c.ResponseDueOn, c.FirstSeenAt, c.Models.Count, c.Models.Count(m => m.Status == ModelStatus.Unknown)))
                .Take(500)
                .ToListAsync(ct);
    }
}

/// <summary>
/// One case. The first time one of the vendor's own users opens it, that is recorded ("seen"), once; a
/// command because opening a case is an event the officers follow.
/// </summary>
public static class OpenCase
{
    public sealed record Command(Guid Id) : ICommand<Result>;

    public sealed record ModelRow(Guid DeviceModelId, string Name, ModelStatus Status);

    public sealed record Result(Guid Id, Guid CircularId, string? Reference, string Title, string Vendor, int OpenedAtRevision,
        DateTimeOffset OpenedAt, DateOnly ResponseDueOn, DateTimeOffset? FirstSeenAt, string? FirstSeenBy, IReadOnlyList<ModelRow> Models);

    internal sealed class Handler(ICurrentUser user, PortalDbContext db, TimeProvider clock) : ICommandHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command request, CancellationToken ct)
        {
            var vendorCase = await db.CasesVisibleTo(user).Include(c => c.Models)
                .FirstOrDefaultAsync(c => c.Id == request.Id, ct) ?? throw new NotFoundException("The case");
            var now = clock.GetUtcNow();
            if (user.IsInRole(Roles.Vendor) && !user.CanReadDrafts && vendorCase.Seen(user.Id, now))
            {
                db.AuditEvents.Add(AuditEvent.Record(nameof(VendorCase), vendorCase.Id, "CaseSeen", user.Id, now));
                await db.SaveChangesAsync(ct);
            }
            var circular = await db.Circulars.AsNoTracking().Where(c => c.Id == vendorCase.CircularId)
                .Select(c => new { c.ReferenceNumber, Title = c.CurrentRevision!.Title }).FirstAsync(ct);
            var vendor = await db.VendorOrganisations.AsNoTracking().Where(v => v.Id == vendorCase.VendorOrganisationId).Select(v => v.Name).FirstAsync(ct);
            var seenBy = vendorCase.FirstSeenById is { } by
                ? await db.Users.AsNoTracking().Where(u => u.Id == by).Select(u => u.DisplayName).FirstOrDefaultAsync(ct)
                : null;
            return new Result(vendorCase.Id, vendorCase.CircularId, circular.ReferenceNumber, circular.Title, vendor, vendorCase.OpenedAtRevision,
                vendorCase.OpenedAt, vendorCase.ResponseDueOn, vendorCase.FirstSeenAt, seenBy,
                vendorCase.Models.OrderBy(m => m.MarketingName).Select(m => new ModelRow(m.DeviceModelId, m.MarketingName, m.Status)).ToList());
        }
    }
}
