using System.Text;

namespace Portal.Web.Infrastructure.Csv;

/// <summary>
/// CSV cells as RFC 4180 wants them (quoted when they hold a comma, quote or line break; quotes doubled),
/// made safe to open in a spreadsheet: a cell that begins with =, +, -, @, a tab or a carriage return
/// would be read as a formula (CSV injection), so it gets a leading apostrophe and is shown as text.
/// </summary>
public static class Csv
{
    public const string LineEnd = "\r\n";

    private static readonly char[] FormulaStarts = ['=', '+', '-', '@', '\t', '\r'];
    private static readonly char[] NeedsQuotes = [',', '"', '\r', '\n'];

    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value))
            return "";
        if (Array.IndexOf(FormulaStarts, value[0]) >= 0)
            value = "'" + value;
        return value.IndexOfAny(NeedsQuotes) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    public static string Row(IEnumerable<string?> cells) => string.Join(',', cells.Select(Cell)) + LineEnd;

    /// <summary>A file name made only of letters, digits, dot, dash and underscore.</summary>
    public static string FileName(string name)
    {
        var sb = new StringBuilder(name.Length);
        foreach (var c in name)
            sb.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-');
        return sb.ToString();
    }
}
