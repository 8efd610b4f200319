using System.Text.RegularExpressions;
using Microsoft.Extensions.Localization;

namespace Portal.Web.Features.Devices;

/// <summary>
/// A refused row's reason, or a file's problem, in the reader's language. They are kept in English (the import's
/// record and the API answer them in English, decision 0071); the page translates them when it shows them: fixed
/// sentences through the resource files, and the few sentences with a value (a line, an e-mail address, a count)
/// through their template, so "The same IMEI is on line 7." is translated once for every line.
/// </summary>
public static partial class ImportReasons
{
    public static string Localize(string reason, IStringLocalizer t)
    {
        if (reason.Length == 0)
            return reason;
        if (reason.StartsWith("IMEI: ", StringComparison.Ordinal))
            return t["IMEI: {0}", Localize(reason["IMEI: ".Length..], t)];
        if (SameImei().Match(reason) is { Success: true } same)
            return t["The same IMEI is on line {0}.", same.Groups[1].Value];
        if (UnknownUser().Match(reason) is { Success: true } unknown)
            return t["No staff member has the e-mail address \"{0}\".", unknown.Groups[1].Value];
        if (ImeiLength().Match(reason) is { Success: true } length)
            return t["An IMEI has 15 digits (16 with the software version); this has {0}.", length.Groups[1].Value];
        if (TooManyRows().Match(reason) is { Success: true } rows)
            return t["The file has more than {0} rows. Split it into smaller files.", rows.Groups[1].Value];
        if (MissingColumns().Match(reason) is { Success: true } columns)
            return t["Choose the column for: {0}.", string.Join(", ", columns.Groups[1].Value.Split(", ").Select(label => t[label].Value))];
        return t[reason];
    }

    [GeneratedRegex(@"^The same IMEI is on line (\d+)\.$")]
    private static partial Regex SameImei();

    [GeneratedRegex("^No staff member has the e-mail address \"(.*)\"\\.$")]
    private static partial Regex UnknownUser();

    [GeneratedRegex(@"^An IMEI has 15 digits \(16 with the software version\); this has (\d+)\.$")]
    private static partial Regex ImeiLength();

    [GeneratedRegex(@"^The file has more than ([\d,]+) rows\. Split it into smaller files\.$")]
    private static partial Regex TooManyRows();

    [GeneratedRegex(@"^Choose the column for: (.+)\.$")]
    private static partial Regex MissingColumns();
}
