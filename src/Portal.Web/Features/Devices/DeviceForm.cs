using System.Security.Claims;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Infrastructure.Auth;
using Portal.Web.Infrastructure.Web;

namespace Portal.Web.Features.Devices;

/// <summary>What a staff member types to register a phone, theirs or a family member's.</summary>
public abstract record DeviceForm
{
    /// <summary>Empty for the staff member's own phone, else the id of one of their family members.</summary>
    public string? Owner { get; init; }
    public string? Manufacturer { get; init; }
    public string? Model { get; init; }
    public string? OsVersion { get; init; }
}

public sealed class DeviceFormValidator : AbstractValidator<DeviceForm>
{
    public DeviceFormValidator()
    {
        RuleFor(f => f.Manufacturer).NotEmpty().WithMessage("Give the manufacturer, as printed on the phone or its box (for example Xiaomi).")
            .MaximumLength(200).WithMessage("Keep the manufacturer to 200 characters or fewer.");
        RuleFor(f => f.Model).NotEmpty().WithMessage("Give the model (Settings › About phone shows it, for example Redmi Note 12).")
            .MaximumLength(200).WithMessage("Keep the model to 200 characters or fewer.");
        RuleFor(f => f.OsVersion).MaximumLength(100).WithMessage("Keep the software version to 100 characters or fewer.");
        RuleFor(f => f.Owner).Must(o => string.IsNullOrEmpty(o) || Guid.TryParse(o, out _)).WithMessage("Choose whose phone it is from the list.");
    }
}

/// <summary>
/// Whose devices a person may see and change: those registered to their own staff record (their own and
/// their family's). The check is a Where on the staff record, never trust in a posted id.
/// </summary>
internal static class DeviceAccess
{
    public static async Task<StaffMember> OwnStaffRecordAsync(this PortalDbContext db, ICurrentUser user, CancellationToken ct)
    {
        var userId = user.Id;
        return await db.StaffMembers.AsNoTracking().FirstOrDefaultAsync(s => s.UserId == userId, ct)
            ?? throw new NotFoundException("Your staff record");
    }

    /// <summary>The family member a posted owner names, checked to be of this staff member; null for their own phone.</summary>
    public static async Task<Guid?> OwnerAsync(this PortalDbContext db, StaffMember staff, string? owner, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(owner))
            return null;
        var id = Guid.Parse(owner);
        return await db.Dependents.AnyAsync(d => d.Id == id && d.StaffMemberId == staff.Id, ct)
            ? id
            : throw new FluentValidation.ValidationException([new FluentValidation.Results.ValidationFailure(nameof(DeviceForm.Owner), "Choose whose phone it is from the list.")]);
    }
}
