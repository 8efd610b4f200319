using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Infrastructure.Auth;

namespace Portal.Web.Features.Devices;

/// <summary>"Whose phone": the signed-in staff member or one of their family; loads its own options so a re-rendered form keeps it.</summary>
public sealed class DeviceOwnerPickerViewComponent(PortalDbContext db, ICurrentUser user) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(string? selected)
    {
        var userId = user.Id;
        var family = await db.Dependents.AsNoTracking().Where(d => db.StaffMembers.Any(s => s.Id == d.StaffMemberId && s.UserId == userId))
            .OrderBy(d => d.FullName).Select(d => new { d.Id, d.FullName }).ToListAsync();
        return View("~/Features/Devices/OwnerPicker.cshtml", (selected, family.Select(f => (f.Id, f.FullName)).ToList()));
    }
}
