using System.Security.Claims;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Infrastructure.Auth;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Text;
using Portal.Web.Infrastructure.Web;

namespace Portal.Web.Features.FamilyMembers;

/// <summary>
/// Whose family a person may manage: their own staff record, or anyone's if they are an administrator.
/// The check is a Where on the staff record, never trust in a posted id.
/// </summary>
internal static class FamilyAccess
{
    public static async Task<StaffMember> StaffMemberAsync(this PortalDbContext db, Guid? staffMemberId, ICurrentUser user, CancellationToken ct)
    {
        var userId = user.Id;
        var admin = user.IsInRole(Roles.Administrator);
        var query = db.StaffMembers.AsQueryable();
        query = staffMemberId is { } id
            ? query.Where(s => s.Id == id && (admin || s.UserId == userId))
            : query.Where(s => s.UserId == userId);
        return await query.FirstOrDefaultAsync(ct) ?? throw new NotFoundException(staffMemberId is null ? "Your staff record" : "The staff member");
    }
}

public static class List
{
    public sealed record Query(Guid? StaffMemberId) : IRequest<Result>;

    public sealed record Row(Guid Id, string FullName, string Relationship, string? Email, string? MobileNumber, string Language, bool Consent);

    public sealed record Result(Guid StaffMemberId, string StaffName, string ServiceNumber, bool Own, IReadOnlyList<Row> Rows, Add.Command Form);

    internal sealed class Handler(ICurrentUser user, PortalDbContext db) : IRequestHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query request, CancellationToken ct)
        {
            var staff = await db.StaffMemberAsync(request.StaffMemberId, user, ct);
            var rows = await db.Dependents.AsNoTracking().Where(d => d.StaffMemberId == staff.Id).OrderBy(d => d.FullName)
                .Select(d => new Row(d.Id, d.FullName, d.Relationship, d.Email, d.MobileNumber, d.PreferredLanguage, d.ConsentToContact))
                .ToListAsync(ct);
            return new Result(staff.Id, staff.FullName, staff.ServiceNumber, staff.UserId == user.Id, rows,
                new Add.Command { StaffMemberId = request.StaffMemberId });
        }
    }
}

public static class Add
{
    public sealed record Command : FamilyMemberForm, ICommand<Guid>
    {
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(MobileNumbers mobiles) => Include(new FamilyMemberFormValidator(mobiles));
    }

    internal sealed class Handler(ICurrentUser user, PortalDbContext db, MobileNumbers mobiles) : ICommandHandler<Command, Guid>
    {
        public async ValueTask<Guid> Handle(Command request, CancellationToken ct)
        {
            var staff = await db.StaffMemberAsync(request.StaffMemberId, user, ct);
            var dependent = Dependent.Create(staff.Id, request.FullName!, request.Relationship!, request.NormalisedEmail, mobiles.E164OrNull(request.MobileNumber),
                request.PreferredLanguage!, request.ConsentToContact);
            db.Dependents.Add(dependent);
            await db.SaveChangesAsync(ct);
            return dependent.Id;
        }
    }
}

public static class Change
{
    public sealed record Query(Guid? StaffMemberId, Guid Id) : IRequest<Command>;

    public sealed record Command : FamilyMemberForm, ICommand<Done>
    {
        public Guid Id { get; set; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(MobileNumbers mobiles) => Include(new FamilyMemberFormValidator(mobiles));
    }

    internal sealed class QueryHandler(ICurrentUser user, PortalDbContext db) : IRequestHandler<Query, Command>
    {
        public async ValueTask<Command> Handle(Query request, CancellationToken ct)
        {
            var staff = await db.StaffMemberAsync(request.StaffMemberId, user, ct);
            var d = await db.Dependents.AsNoTracking().FirstOrDefaultAsync(d => d.Id == request.Id && d.StaffMemberId == staff.Id, ct)
                ?? throw new NotFoundException("The family member");
            return new Command
            {
                Id = d.Id, StaffMemberId = request.StaffMemberId, FullName = d.FullName, Relationship = d.Relationship, Email = d.Email,
                MobileNumber = d.MobileNumber, PreferredLanguage = d.PreferredLanguage, ConsentToContact = d.ConsentToContact,
            };
        }
    }

    internal sealed class Handler(ICurrentUser user, PortalDbContext db, MobileNumbers mobiles) : ICommandHandler<Command, Done>
    {
        public async ValueTask<Done> Handle(Command request, CancellationToken ct)
        {
            var staff = await db.StaffMemberAsync(request.StaffMemberId, user, ct);
            var dependent = await db.Dependents.FirstOrDefaultAsync(d => d.Id == request.Id && d.StaffMemberId == staff.Id, ct)
                ?? throw new NotFoundException("The family member");
            dependent.Change(request.FullName!, request.Relationship!, request.NormalisedEmail, mobiles.E164OrNull(request.MobileNumber),
                request.PreferredLanguage!, request.ConsentToContact);
            await db.SaveChangesAsync(ct);
            if (!request.ConsentToContact)
                await FamilyOutbox.CancelAsync(db, dependent.Id, "Not sent: the family member withdrew consent to be contacted.", ct);
            return Done.Value;
        }
    }
}

public static class Remove
{
    public sealed record Command(Guid? StaffMemberId, Guid Id) : ICommand<Done>;

    internal sealed class Handler(ICurrentUser user, PortalDbContext db) : ICommandHandler<Command, Done>
    {
        public async ValueTask<Done> Handle(Command request, CancellationToken ct)
        {
            var staff = await db.StaffMemberAsync(request.StaffMemberId, user, ct);
            // Their acknowledgements go with them (ON DELETE CASCADE): a removed person is no longer asked, and
            // nothing still queued for them goes out.
            var removed = await db.Dependents.Where(d => d.Id == request.Id && d.StaffMemberId == staff.Id).ExecuteDeleteAsync(ct);
            if (removed > 0)
                await FamilyOutbox.CancelAsync(db, request.Id, "Not sent: the family member was removed.", ct);
            return Done.Value;
        }
    }
}

/// <summary>Messages still waiting for a family member who may no longer be written to end as Failed, with the reason.</summary>
internal static class FamilyOutbox
{
    public static Task<int> CancelAsync(PortalDbContext db, Guid dependentId, string reason, CancellationToken ct) =>
        db.Notifications.Where(n => n.DependentId == dependentId && n.State == NotificationState.Pending
                && n.Channel != NotificationChannel.InApp)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.State, NotificationState.Failed)
                .SetProperty(n => n.NextAttemptAt, (DateTimeOffset?)null)
                .SetProperty(n => n.LastError, reason), ct);
}
