using Microsoft.AspNetCore.Identity;

namespace Portal.Web.Domain;

public sealed class PortalUser : IdentityUser<Guid>
{
    public string DisplayName { get; set; } = "";
    public Guid? UnitId { get; set; }
    public Unit? Unit { get; set; }
    public Guid? VendorOrganisationId { get; set; }
    public VendorOrganisation? VendorOrganisation { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class PortalRole : IdentityRole<Guid>
{
    public PortalRole() { }
    public PortalRole(string name) : base(name) => NormalizedName = name.ToUpperInvariant();
}
