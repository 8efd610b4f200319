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

    public static string Row(IEnumerable<string?> cells) => AppendRow(new StringBuilder(), cells).ToString();

    /// <summary>One row onto <paramref name="text"/>, cells made as <see cref="Cell"/> makes them, without a string per cell.</summary>
    public static StringBuilder AppendRow(StringBuilder text, IEnumerable<string?> cells)
    {
        var first = true;
        foreach (var value in cells)
        {
            if (!first)
                text.Append(',');
            first = false;
            if (string.IsNullOrEmpty(value))
                continue;
            var quoted = value.AsSpan().IndexOfAny(NeedsQuotes) >= 0;
            if (quoted)
                text.Append('"');
            if (Array.IndexOf(FormulaStarts, value[0]) >= 0)
                text.Append('\'');
            if (quoted)
                text.Append(value.Replace("\"", "\"\"", StringComparison.Ordinal));
            else
                text.Append(value);
            if (quoted)
                text.Append('"');
        }
        return text.Append(LineEnd);
    }

    /// <summary>A file name made only of letters, digits, dot, dash and underscore.</summary>
    public static string FileName(string name)
    {
        var sb = new StringBuilder(name.Length);
        foreach (var c in name)
            sb.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-');
        return sb.ToString();
    }
}
