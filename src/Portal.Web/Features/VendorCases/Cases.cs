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

/// <summary>
/// A case is open while any model on it is unknown, affected or has a fix claimed but not verified, and its circular is
/// still in force (published, not withdrawn or superseded): there is something left for the vendor or the officers to do.
/// </summary>
public static class OpenCases
{
    public static IQueryable<VendorCase> Open(this PortalDbContext db, IQueryable<VendorCase> cases) =>
        cases.Where(c => c.Models.Any(m => m.Status == ModelStatus.Unknown || m.Status == ModelStatus.Affected || m.Status == ModelStatus.FixClaimed)
            && db.Circulars.Any(x => x.Id == c.CircularId && x.Status == CircularStatus.Published));

    /// <summary>A claim waits for the officers: submitted and not yet reviewed, or accepted and waiting for the re-test and the second officer's verification.</summary>
    public static IQueryable<VendorCase> AwaitingOfficers(this PortalDbContext db, IQueryable<VendorCase> cases) =>
        cases.Where(c => db.RemediationClaims.Any(r => r.CaseId == c.Id
            && (r.Status == ClaimStatus.Submitted || r.Status == ClaimStatus.PendingVerification)));

    /// <summary>Past the response deadline without an answer (<see cref="CaseAnswers"/>).</summary>
    public static IQueryable<VendorCase> Overdue(this PortalDbContext db, IQueryable<VendorCase> cases, DateOnly today) =>
        db.Unanswered(cases).Where(c => c.ResponseDueOn < today);
}

/// <summary>The cases a person may see, newest first; <c>?open=true</c>, <c>?overdue=true</c> and <c>?review=true</c> (what the start pages count) narrow it.</summary>
public static class CaseList
{
    public sealed record Query : IRequest<IReadOnlyList<Row>>
    {
        public bool Open { get; init; }
        public bool Overdue { get; init; }
        public bool Review { get; init; }

        /// <summary>The list's heading: what the filter a start-page count sets shows.</summary>
        public Sentence Heading() => (Open, Overdue, Review) switch
        {
            (true, false, false) => "Open vendor cases",
            (false, true, false) => "Vendor cases past their response deadline without an answer",
            (false, false, true) => "Vendor cases with a claim waiting for the officers",
            _ => "Vendor cases",
        };
    }

    public sealed record Row(Guid Id, Guid CircularId, string? Reference, string Title, string Vendor, DateOnly ResponseDueOn,
        DateTimeOffset? FirstSeenAt, int Models, int Unknown, bool Overdue = false);

    /// <summary>A case is overdue when its deadline has passed and the vendor has not answered (<see cref="CaseAnswers"/>).</summary>
    internal sealed class Handler(ICurrentUser user, PortalDbContext db, TimeProvider clock) : IRequestHandler<Query, IReadOnlyList<Row>>
    {
        public async ValueTask<IReadOnlyList<Row>> Handle(Query request, CancellationToken ct)
        {
            var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
            var unanswered = db.Unanswered(db.VendorCases);
            var cases = db.CasesVisibleTo(user).AsNoTracking();
            if (request.Open) cases = db.Open(cases);
            if (request.Overdue) cases = db.Overdue(cases, today);
            if (request.Review) cases = db.AwaitingOfficers(cases);
            return await cases.OrderByDescending(c => c.OpenedAt)
                .Select(c => new Row(c.Id, c.CircularId,
                    db.Circulars.Where(x => x.Id == c.CircularId).Select(x => x.ReferenceNumber).First(),
                    db.Circulars.Where(x => x.Id == c.CircularId).Select(x => x.CurrentRevision!.Text.Title).First(),
                    db.VendorOrganisations.Where(v => v.Id == c.VendorOrganisationId).Select(v => v.Name).First(),
                    c.ResponseDueOn, c.FirstSeenAt, c.Models.Count, c.Models.Count(m => m.Status == ModelStatus.Unknown),
                    c.ResponseDueOn < today && unanswered.Any(u => u.Id == c.Id)))
                .Take(500)
                .ToListAsync(ct);
        }
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
            if (user.IsInRole(Roles.Vendor) && !user.CanReadDrafts && !user.IsMachineClient && vendorCase.Seen(user.Id, now))
            {
                db.AuditEvents.Add(AuditEvent.Record(nameof(VendorCase), vendorCase.Id, "CaseSeen", user.Id, now));
                await db.SaveChangesAsync(ct);
            }
            var circular = await db.Circulars.AsNoTracking().Where(c => c.Id == vendorCase.CircularId)
                .Select(c => new { c.ReferenceNumber, Title = c.CurrentRevision!.Text.Title }).FirstAsync(ct);
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
