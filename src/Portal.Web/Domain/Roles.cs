namespace Portal.Web.Domain;

public static class Roles
{
    public const string Administrator = nameof(Administrator);
    public const string SecurityOfficer = nameof(SecurityOfficer);
    public const string Approver = nameof(Approver);
    public const string UnitCommander = nameof(UnitCommander);
    public const string Staff = nameof(Staff);
    public const string Vendor = nameof(Vendor);
    public const string Auditor = nameof(Auditor);

    /// <summary>A vendor user who also registers their own organisation's API clients (docs/decisions/0030).</summary>
    public const string VendorAdministrator = nameof(VendorAdministrator);

    public static readonly IReadOnlyList<string> All =
        [Administrator, SecurityOfficer, Approver, UnitCommander, Staff, Vendor, Auditor, VendorAdministrator];

    /// <summary>Roles whose holders must enrol an authenticator before they may do anything else.</summary>
    public static readonly IReadOnlyList<string> RequiringTwoFactor = [Administrator, SecurityOfficer, Approver];

    /// <summary>Comma lists for [Authorize(Roles = ...)].</summary>
    public const string CircularAuthors = SecurityOfficer;
    public const string DraftReaders = SecurityOfficer + "," + Approver;
    public const string CatalogueReaders = SecurityOfficer + "," + Approver + "," + Administrator + "," + Auditor;
    public const string CatalogueEditors = SecurityOfficer + "," + Administrator;
    public const string ApiClientManagers = Administrator + "," + VendorAdministrator;
}
