using System.Text;
using Portal.Web.Domain;

namespace Portal.Web.Infrastructure.Localization;

/// <summary>
/// Enum values as people say them, in English; views pass the result through the localizer
/// (<c>@T[status.Words()]</c>), so the Hindi lives in Text.hi.resx like every other word. The one place a status,
/// state or kind becomes words (docs/decisions/0076): an identifier of several words is split ("NotAffected" is
/// "Not affected"); the values whose words are not their identifier's are listed here.
/// </summary>
public static class EnumWords
{
    public static string Words<TEnum>(this TEnum value) where TEnum : struct, Enum => (object)value switch
    {
        AmendmentStatus.None => "",
        AmendmentStatus.Editing => "Amendment being edited",
        AmendmentStatus.InReview => "Amendment awaiting approval",

        ClaimStatus.Submitted => "Submitted, awaiting review",
        ClaimStatus.InformationRequested => "More information asked for",
        ClaimStatus.PendingVerification => "Accepted, pending verification",

        DataCategory.Imei => "IMEI",
        DataCategory.Sms => "SMS",
        DataCategory.Other => "other data",
        DataCategory category => Split(category.ToString()).ToLowerInvariant(),

        // "Approved" cannot be a key: "approved" is one, and resource names differ in more than case (decision 0071).
        MembershipRequestState.Approved => "Accepted",
        ExemptionState.Approved => "Granted",

        ApiClientKind.MdmSystem => "MDM system",
        ApiClientKind.InternalApp => "Internal application",
        SourceKind.CertAdvisory => "CERT advisory",
        DeviceSource.MdmImport => "MDM import",
        NotificationChannel.InApp => "In-app",
        NotificationChannel.Email => "E-mail",
        NotificationChannel.Sms => "SMS",

        _ => Split(value.ToString()),
    };

    /// <summary>"FixClaimed" is "Fix claimed": a capital after a small letter starts a new, small word.</summary>
    private static string Split(string identifier)
    {
        var words = new StringBuilder(identifier.Length + 4);
        for (var i = 0; i < identifier.Length; i++)
        {
            var c = identifier[i];
            if (i > 0 && char.IsUpper(c) && char.IsLower(identifier[i - 1]))
                words.Append(' ').Append(char.ToLowerInvariant(c));
            else
                words.Append(c);
        }
        return words.ToString();
    }

    /// <summary>A role's name as people say it ("SecurityOfficer" is "Security officer").</summary>
    public static string RoleWords(string role) => role switch
    {
        Roles.SecurityOfficer => "Security officer",
        Roles.UnitCommander => "Unit commander",
        Roles.VendorAdministrator => "Vendor administrator",
        _ => role,
    };
}
