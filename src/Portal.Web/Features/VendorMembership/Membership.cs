using System.Text.Json;
using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Infrastructure.Auth;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Web;

namespace Portal.Web.Features.VendorMembership;

/// <summary>A person with a vendor account and no organisation yet: their requests, and the organisations they may ask to join.</summary>
public static class MyMembership
{
    public sealed record Query : IRequest<Result>;

    public sealed record Request(string Organisation, MembershipRequestState State, DateTimeOffset RequestedAt, DateTimeOffset ExpiresAt);

    public sealed record Result(string? Organisation, IReadOnlyList<Request> Requests, IReadOnlyList<(Guid Id, string Name)> Organisations);

    internal sealed class Handler(ICurrentUser user, PortalDbContext db) : IRequestHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query request, CancellationToken ct)
        {
            var organisation = await db.Users.Where(u => u.Id == user.Id)
                .Select(u => db.VendorOrganisations.Where(v => v.Id == u.VendorOrganisationId).Select(v => v.Name).FirstOrDefault()).FirstOrDefaultAsync(ct);
            var requests = await db.Set<VendorMembershipRequest>().AsNoTracking().Where(r => r.UserId == user.Id)
                .OrderByDescending(r => r.RequestedAt).Take(20)
                .Select(r => new Request(db.VendorOrganisations.Where(v => v.Id == r.VendorOrganisationId).Select(v => v.Name).First(), r.State, r.RequestedAt, r.ExpiresAt))
                .ToListAsync(ct);
            var organisations = (await db.VendorOrganisations.AsNoTracking().OrderBy(v => v.Name).Select(v => new { v.Id, v.Name }).Take(1000).ToListAsync(ct))
                .Select(v => (v.Id, v.Name)).ToList();
            return new Result(organisation, requests, organisations);
        }
    }
}

/// <summary>A person with a vendor account (and no organisation yet) asks to join one; its administrators answer.</summary>
public static class AskToJoin
{
    public sealed record Command : ICommand<Guid>
    {
        public Guid? VendorOrganisationId { get; init; }
        public string? Note { get; init; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.VendorOrganisationId).NotNull().WithMessage("Choose the organisation you work for.");
            RuleFor(c => c.Note).MaximumLength(1000).WithMessage("Keep the note to 1,000 characters or fewer (it has {TotalLength}).");
        }
    }

    internal sealed class Handler(ICurrentUser current, PortalDbContext db, TimeProvider clock) : ICommandHandler<Command, Guid>
    {
        public async ValueTask<Guid> Handle(Command request, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            var user = await db.Users.FirstAsync(u => u.Id == current.Id, ct);
            if (user.VendorOrganisationId is not null)
                throw new DomainException("You already belong to a vendor organisation.");
            if (!await db.VendorOrganisations.AnyAsync(v => v.Id == request.VendorOrganisationId, ct))
                throw new DomainException("Choose an organisation from the list.");
            var pending = await db.Set<VendorMembershipRequest>().AnyAsync(r => r.UserId == user.Id && r.State == MembershipRequestState.Pending && r.ExpiresAt > now, ct);
            if (pending)
                throw new DomainException("You already have a request waiting for an answer.");
            await db.Set<VendorMembershipRequest>().Where(r => r.UserId == user.Id && r.State == MembershipRequestState.Pending)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.State, MembershipRequestState.Expired), ct);
            var asked = VendorMembershipRequest.Ask(user.Id, request.VendorOrganisationId!.Value, request.Note, now);
            db.Add(asked);
            db.AuditEvents.Add(AuditEvent.Record(nameof(VendorMembershipRequest), asked.Id, "MembershipRequested", user.Id, now,
                data: JsonSerializer.Serialize(new { vendor = asked.VendorOrganisationId })));
            await db.SaveChangesAsync(ct);
            return asked.Id;
        }
    }
}

/// <summary>The pending requests to join the administrator's own organisation.</summary>
public static class PendingRequests
{
    public sealed record Query : IRequest<IReadOnlyList<Row>>;

    public sealed record Row(Guid Id, string Name, string? Email, string? Note, DateTimeOffset RequestedAt, DateTimeOffset ExpiresAt, bool Escalated, uint Version);

    internal sealed class Handler(ICurrentUser user, PortalDbContext db, TimeProvider clock) : IRequestHandler<Query, IReadOnlyList<Row>>
    {
        public async ValueTask<IReadOnlyList<Row>> Handle(Query request, CancellationToken ct)
        {
            var vendor = user.VendorOrganisationOf();
            var now = clock.GetUtcNow();
            return await db.Set<VendorMembershipRequest>().AsNoTracking()
                .Where(r => r.VendorOrganisationId == vendor && r.State == MembershipRequestState.Pending && r.ExpiresAt > now)
                .OrderBy(r => r.RequestedAt)
                .Select(r => new Row(r.Id, db.Users.Where(u => u.Id == r.UserId).Select(u => u.DisplayName).First(),
                    db.Users.Where(u => u.Id == r.UserId).Select(u => u.Email).First(), r.Note, r.RequestedAt, r.ExpiresAt, r.EscalatedAt != null, r.Version))
                .Take(500).ToListAsync(ct);
        }
    }
}

/// <summary>
/// The organisation's administrator approves (the person joins the organisation and signs in again to act for it)
/// or refuses a request. Another organisation's request is 404.
/// </summary>
public static class Decide
{
    public sealed record Command : ICommand<Done>
    {
        public Guid RequestId { get; set; }
        public uint? Version { get; init; }
        public bool Approve { get; init; }
    }

    internal sealed class Handler(ICurrentUser actor, PortalDbContext db, TimeProvider clock) : ICommandHandler<Command, Done>
    {
        public async ValueTask<Done> Handle(Command request, CancellationToken ct)
        {
            var vendor = actor.VendorOrganisationOf();
            var asked = await db.Set<VendorMembershipRequest>()
                .FirstOrDefaultAsync(r => r.Id == request.RequestId && r.VendorOrganisationId == vendor, ct) ?? throw new NotFoundException("The request");
            if (request.Version is { } seen && asked.Version != seen)
                throw new DbUpdateConcurrencyException("The request changed meanwhile.");
            var now = clock.GetUtcNow();
            var by = actor.Id;
            asked.Decide(request.Approve, by, now);
            if (request.Approve)
            {
                var user = await db.Users.FirstAsync(u => u.Id == asked.UserId, ct);
                if (user.VendorOrganisationId is not null && user.VendorOrganisationId != vendor)
                    throw new DomainException("This person already belongs to another vendor organisation.");
                user.VendorOrganisationId = vendor;
                // The organisation is in the sign-in cookie: the person signs in again to act for it.
                user.SecurityStamp = Guid.NewGuid().ToString("N");
            }
            db.AuditEvents.Add(AuditEvent.Record(nameof(VendorMembershipRequest), asked.Id, request.Approve ? "MembershipApproved" : "MembershipRefused", by, now,
                data: JsonSerializer.Serialize(new { user = asked.UserId, vendor })));
            await db.SaveChangesAsync(ct);
            return Done.Value;
        }
    }
}

/// <summary>
/// The periodic round: pending requests past 30 days expire; pending ones unanswered for 3 days are escalated to the
/// portal's administrators (their start page lists them; each gets an inbox notice and an e-mail per round that escalated
/// any), once: the escalation mark is set by the same UPDATE that finds them, so two instances never escalate one request twice.
/// </summary>
public static class MembershipRound
{
    public sealed record Command : ICommand<Result>;

    public sealed record Result(int Expired, int Escalated);

    internal sealed class Handler(PortalDbContext db, TimeProvider clock) : ICommandHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command request, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            var expired = await db.Set<VendorMembershipRequest>()
                .Where(r => r.State == MembershipRequestState.Pending && r.ExpiresAt <= now)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.State, MembershipRequestState.Expired), ct);
            var due = now - VendorMembershipRequest.EscalateAfter;
            var escalated = await db.Database.SqlQuery<Guid>($"""
                UPDATE vendor_membership_requests SET escalated_at = {now}
                WHERE state = 'Pending' AND escalated_at IS NULL AND requested_at <= {due}
                RETURNING id AS "Value"
                """).ToListAsync(ct);
            foreach (var id in escalated)
                db.AuditEvents.Add(AuditEvent.Record(nameof(VendorMembershipRequest), id, "MembershipEscalated", null, now));
            if (escalated.Count > 0)
                await EscalationMessages.QueueAsync(db, now, ct);
            await db.SaveChangesAsync(ct);
            return new Result(expired, escalated.Count);
        }
    }
}

public static class MembershipClaims
{
    public static Guid VendorOrganisationOf(this ICurrentUser user) =>
        user.IsInRole(Roles.VendorAdministrator) && user.VendorOrganisationId is { } vendor
            ? vendor
            : throw new NotFoundException("The organisation");
}
