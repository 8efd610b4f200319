using Portal.Web.Features.Dashboards;
using Portal.Web.Infrastructure.Csv;

namespace Portal.Tests;

public sealed class CsvTests
{
    [Theory]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("+cmd", "'+cmd")]
    [InlineData("-2", "'-2")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tTAB", "'\tTAB")]
    [InlineData("\rCR", "\"'\rCR\"")]
    [InlineData("=HYPERLINK(\"http://evil.example\",\"click\")", "\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\"")]
    [InlineData("Asha Rao", "Asha Rao")]
    [InlineData("Rao, Asha", "\"Rao, Asha\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("a-b=c", "a-b=c")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Cells_are_quoted_per_RFC_4180_and_never_start_a_formula(string? value, string expected) =>
        Csv.Cell(value).ShouldBe(expected);

    [Fact]
    public void A_row_ends_with_CRLF() => Csv.Row(["a", null, "b,c"]).ShouldBe("a,,\"b,c\"\r\n");

    [Fact]
    public void File_names_keep_only_safe_characters() =>
        Csv.FileName("SEC/ADV/2026/014-W1 \"x\".csv").ShouldBe("SEC-ADV-2026-014-W1--x-.csv");

    [Theory]
    [InlineData("family.sn10003@home.example", "f•••@home.example")]
    [InlineData("+919700000003", "+91••••••••03")]
    [InlineData(null, null)]
    public void Addresses_are_masked_for_those_who_should_not_see_them(string? address, string? masked) =>
        Progress.Mask(address).ShouldBe(masked);

    [Fact]
    public void Addresses_inside_error_text_are_masked_too() =>
        Progress.MaskWithin("550 5.1.1 <family.sn10003@home.example>: unknown; SMS to +91 97000 00003 failed")
            .ShouldBe("550 5.1.1 <f•••@home.example>: unknown; SMS to +91••••••••••03 failed");

    /// <summary>Reads RFC 4180 text back into rows of cells, for tests of the export.</summary>
    public static List<string[]> Parse(string text)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var cell = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { cell.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else cell.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { row.Add(cell.ToString()); cell.Clear(); }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(cell.ToString()); cell.Clear(); rows.Add([.. row]); row.Clear(); i++;
            }
            else cell.Append(c);
        }
        if (cell.Length > 0 || row.Count > 0) { row.Add(cell.ToString()); rows.Add([.. row]); }
        return rows;
    }
}
