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

    /// <summary>The language the user's pages and messages are in (docs/decisions/0070).</summary>
    public string Language { get; set; } = "en";
}

public sealed class PortalRole : IdentityRole<Guid>
{
    public PortalRole() { }
    public PortalRole(string name) : base(name) => NormalizedName = name.ToUpperInvariant();
}
