using System.Net.Mail;
using System.Text.RegularExpressions;

namespace Portal.Web.Features.Notifications;

/// <summary>Checks an address before anything is sent to it, so a typo fails at once with a reason rather than after retries.</summary>
public static partial class Addresses
{
    /// <summary>A bare address (name@domain), no display name, nothing that could smuggle in a header.</summary>
    public static bool TryEmail(string? address, out string normalised, out string error)
    {
        normalised = address?.Trim() ?? "";
        if (normalised.Length == 0)
        {
            error = "No e-mail address.";
            return false;
        }
        if (!MailAddress.TryCreate(normalised, out var parsed) || parsed.Address != normalised || parsed.DisplayName.Length > 0
            || !parsed.Host.Contains('.', StringComparison.Ordinal) || parsed.Host.StartsWith('.') || parsed.Host.EndsWith('.'))
        {
            error = $"Invalid e-mail address '{normalised}': expected the form name@domain.example.";
            return false;
        }
        error = "";
        return true;
    }

    /// <summary>An E.164 number; spaces, hyphens and brackets people type are dropped.</summary>
    public static bool TryMobile(string? number, out string normalised, out string error)
    {
        normalised = Separators().Replace(number ?? "", "");
        if (normalised.Length == 0)
        {
            error = "No mobile number.";
            return false;
        }
        if (!E164().IsMatch(normalised))
        {
            error = $"Invalid mobile number '{number}': expected the international form, such as +919812345678.";
            return false;
        }
        error = "";
        return true;
    }

    [GeneratedRegex(@"[\s\-().]")]
    private static partial Regex Separators();

    [GeneratedRegex(@"^\+[1-9][0-9]{7,14}$")]
    private static partial Regex E164();
}
