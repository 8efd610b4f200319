using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Web;

namespace Portal.Web.Features.Admin;

/// <summary>The fields an administrator sets on an account; shared by create and edit.</summary>
public abstract record UserForm
{
    public string? DisplayName { get; init; }
    public List<string> Roles { get; init; } = [];
    public Guid? UnitId { get; init; }
    public Guid? VendorOrganisationId { get; init; }
}

public sealed class UserFormValidator : AbstractValidator<UserForm>
{
    public UserFormValidator(PortalDbContext db)
    {
        RuleFor(u => u.DisplayName).NotEmpty().WithMessage("Enter the person's name as it should appear.")
            .MaximumLength(200).WithMessage("Keep the name to 200 characters or fewer.");
        RuleFor(u => u.Roles).NotEmpty().WithMessage("Give the account at least one role.");
        RuleForEach(u => u.Roles).Must(r => Domain.Roles.All.Contains(r)).WithMessage("'{PropertyValue}' is not a role.");
        RuleFor(u => u.VendorOrganisationId).NotNull().When(u => u.Roles.Contains(Domain.Roles.Vendor))
            .WithMessage("A vendor account needs its vendor organisation.");
        RuleFor(u => u.VendorOrganisationId).Null().When(u => !u.Roles.Contains(Domain.Roles.Vendor))
            .WithMessage("Only vendor accounts belong to a vendor organisation.");
        RuleFor(u => u.UnitId).NotNull().When(u => u.Roles.Contains(Domain.Roles.UnitCommander) || u.Roles.Contains(Domain.Roles.Staff))
            .WithMessage("Staff and unit commanders need a unit.");
        RuleFor(u => u.UnitId).MustAsync(async (id, ct) => id is null || await db.Units.AnyAsync(x => x.Id == id, ct))
            .WithMessage("Choose a unit from the list.");
        RuleFor(u => u.VendorOrganisationId).MustAsync(async (id, ct) => id is null || await db.VendorOrganisations.AnyAsync(x => x.Id == id, ct))
            .WithMessage("Choose a vendor organisation from the list.");
    }
}

public static class UserList
{
    public const int PageSize = 25;

    public sealed record Query : IRequest<Result>
    {
        public string? Q { get; init; }

        /// <summary>Only accounts locked out now (the administrator's start page links here).</summary>
        public bool Locked { get; init; }

        /// <summary>Only people waiting for an answer to their request to join a vendor organisation (the start page links here).</summary>
        public bool Requested { get; init; }

        public int Page { get; init; } = 1;

        /// <summary>The list's heading: what the filter a start-page count sets shows.</summary>
        public Sentence Heading() => (Locked, Requested) switch
        {
            (true, false) => "Locked-out accounts",
            (false, true) => "People asking to join a vendor organisation",
            _ => "Users",
        };
    }

    public sealed record Row(Guid Id, string Email, string DisplayName, string? Unit, string? Vendor, IReadOnlyList<string> Roles, bool TwoFactor, bool LockedOut);

    public sealed record Result(Query Filter, IReadOnlyList<Row> Rows, int Total, int Page, int Pages);

    internal sealed class Handler(PortalDbContext db, TimeProvider clock) : IRequestHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query request, CancellationToken ct)
        {
            var users = db.Users.AsNoTracking();
            if (!string.IsNullOrWhiteSpace(request.Q))
            {
                var q = "%" + request.Q.Trim().Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
                users = users.Where(u => EF.Functions.ILike(u.Email!, q) || EF.Functions.ILike(u.DisplayName, q));
            }
            var now = clock.GetUtcNow();
            if (request.Locked)
                users = users.Where(u => u.LockoutEnd != null && u.LockoutEnd > now);
            if (request.Requested)
                users = users.Where(u => Home.MembershipRequests.Waiting(db, now).Any(r => r.UserId == u.Id));
            var total = await users.CountAsync(ct);
            var pages = Math.Max(1, (total + PageSize - 1) / PageSize);
            var page = Math.Clamp(request.Page, 1, pages);
            var rows = await users.OrderBy(u => u.DisplayName).ThenBy(u => u.Id).Skip((page - 1) * PageSize).Take(PageSize)
                .Select(u => new Row(u.Id, u.Email!, u.DisplayName, u.Unit!.Name, u.VendorOrganisation!.Name,
                    db.UserRoles.Where(r => r.UserId == u.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name!).ToList(),
                    u.TwoFactorEnabled, u.LockoutEnd != null && u.LockoutEnd > now))
                .ToListAsync(ct);
            return new Result(request, rows, total, page, pages);
        }
    }
}

public static class CreateUser
{
    public sealed record Command : UserForm, ICommand<Guid>
    {
        public string? Email { get; init; }
        public string? Password { get; init; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(PortalDbContext db)
        {
            Include(new UserFormValidator(db));
            RuleFor(c => c.Email).NotEmpty().WithMessage("Enter the person's e-mail address.")
                .MaximumLength(256).WithMessage("Keep the e-mail address to 256 characters or fewer.")
                .EmailAddress().WithMessage("Enter an e-mail address like name@example.org.")
                .MustAsync(async (email, ct) => !await db.Users.AnyAsync(u => u.NormalizedEmail == email!.Trim().ToUpperInvariant(), ct))
                .WithMessage("An account with this e-mail address already exists.");
            RuleFor(c => c.Password).NotEmpty().WithMessage("Set a first password (at least 12 characters, with upper and lower case letters and a digit).");
        }
    }

    internal sealed class Handler(UserManager<PortalUser> users, TimeProvider clock) : ICommandHandler<Command, Guid>
    {
        public async ValueTask<Guid> Handle(Command request, CancellationToken ct)
        {
            var email = request.Email!.Trim();
            var user = new PortalUser
            {
                UserName = email,
                Email = email,
                EmailConfirmed = true,
                DisplayName = request.DisplayName!.Trim(),
                UnitId = request.UnitId,
                VendorOrganisationId = request.VendorOrganisationId,
                CreatedAt = clock.GetUtcNow(),
            };
            IdentityChecks.ThrowIfFailed(await users.CreateAsync(user, request.Password!), nameof(Command.Password));
            IdentityChecks.ThrowIfFailed(await users.AddToRolesAsync(user, request.Roles.Distinct()), nameof(Command.Roles));
            return user.Id;
        }
    }
}

public static class EditUser
{
    public sealed record Query(Guid Id) : IRequest<Command>;

    public sealed record Command : UserForm, ICommand<Done>
    {
        public Guid Id { get; set; }
        public string? Email { get; init; }
        public bool Unlock { get; init; }
        public bool ResetTwoFactor { get; init; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(PortalDbContext db) => Include(new UserFormValidator(db));
    }

    internal sealed class QueryHandler(PortalDbContext db) : IRequestHandler<Query, Command>
    {
        public async ValueTask<Command> Handle(Query request, CancellationToken ct) =>
            await db.Users.AsNoTracking().Where(u => u.Id == request.Id)
                .Select(u => new Command
                {
                    Id = u.Id,
                    Email = u.Email,
                    DisplayName = u.DisplayName,
                    UnitId = u.UnitId,
                    VendorOrganisationId = u.VendorOrganisationId,
                    Roles = db.UserRoles.Where(r => r.UserId == u.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name!).ToList(),
                })
                .FirstOrDefaultAsync(ct)
            ?? throw new NotFoundException("The user");
    }

    internal sealed class Handler(UserManager<PortalUser> users) : ICommandHandler<Command, Done>
    {
        public async ValueTask<Done> Handle(Command request, CancellationToken ct)
        {
            var user = await users.FindByIdAsync(request.Id.ToString()) ?? throw new NotFoundException("The user");
            user.DisplayName = request.DisplayName!.Trim();
            user.UnitId = request.UnitId;
            user.VendorOrganisationId = request.VendorOrganisationId;
            if (request.Unlock)
            {
                user.LockoutEnd = null;
                user.AccessFailedCount = 0;
            }
            IdentityChecks.ThrowIfFailed(await users.UpdateAsync(user), "");

            var current = await users.GetRolesAsync(user);
            var wanted = request.Roles.Distinct().ToList();
            IdentityChecks.ThrowIfFailed(await users.RemoveFromRolesAsync(user, current.Except(wanted)), nameof(Command.Roles));
            IdentityChecks.ThrowIfFailed(await users.AddToRolesAsync(user, wanted.Except(current)), nameof(Command.Roles));
            if (request.ResetTwoFactor)
            {
                IdentityChecks.ThrowIfFailed(await users.SetTwoFactorEnabledAsync(user, false), "");
                IdentityChecks.ThrowIfFailed(await users.ResetAuthenticatorKeyAsync(user), "");
            }
            // Role or unit changes reach the user's other sessions at the next security-stamp check.
            IdentityChecks.ThrowIfFailed(await users.UpdateSecurityStampAsync(user), "");
            return Done.Value;
        }
    }
}

internal static class IdentityChecks
{
    public static void ThrowIfFailed(IdentityResult result, string property)
    {
        if (!result.Succeeded)
            throw new ValidationException(result.Errors.Select(e => new FluentValidation.Results.ValidationFailure(property, e.Description)));
    }
}
