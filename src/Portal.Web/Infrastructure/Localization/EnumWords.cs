using Portal.Web.Domain;

namespace Portal.Web.Infrastructure.Localization;

/// <summary>
/// Enum values as people say them, in English; views pass the result through the localizer
/// (<c>@T[status.Words()]</c>), so the Hindi lives in Text.hi.resx like every other word.
/// </summary>
public static class EnumWords
{
    public static string Words(this CircularStatus status) => status switch
    {
        CircularStatus.InReview => "In review",
        _ => status.ToString(),
    };

    public static string Words(this Severity severity) => severity.ToString();

    public static string Words(this AmendmentStatus amendment) => amendment switch
    {
        AmendmentStatus.Editing => "Amendment being edited",
        AmendmentStatus.InReview => "Amendment awaiting approval",
        _ => "",
    };

    public static string Words(this RevisionKind kind) => kind.ToString();

    public static string Words(this RuleAction action) => action.ToString();

    /// <summary>A role's name as people say it ("SecurityOfficer" is "Security officer").</summary>
    public static string RoleWords(string role) => role switch
    {
        Roles.SecurityOfficer => "Security officer",
        Roles.UnitCommander => "Unit commander",
        Roles.VendorAdministrator => "Vendor administrator",
        _ => role,
    };
}
