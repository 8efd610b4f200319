using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;

namespace Portal.Web.Infrastructure.Charts;

/// <summary>
/// The shared frame of every chart: a scalable &lt;svg&gt; (viewBox, width 100%) announced as one image whose
/// accessible name states the numbers, so a screen reader hears the summary rather than stray shapes.
/// Every piece of text passes through <see cref="Text"/>; coordinates are written culture-invariantly, counts in the reader's culture.
/// Only presentation attributes are used, never style attributes, so the page's CSP holds.
/// </summary>
internal static class Svg
{
    public const double Width = 400;
    public const double FontSize = 16;
    public const string Ink = "#1b1f24";
    public const string Muted = "#4a5560";
    public const string Track = "#e9edf1";
    public const string Accent = "#0b4f8a";
    public const string AreaFill = "#c5d9ec";

    public static string Text(string? value) => HtmlEncoder.Default.Encode(value ?? "");

    public static string N(double value) =>
        double.IsFinite(value) ? Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture) : "0";

    /// <summary>Text width is not measurable on the server; this is a generous estimate for deciding whether a label fits.</summary>
    public static double EstimateWidth(string text, double fontSize = FontSize) => text.Length * fontSize * 0.6;

    public static string Percent(long part, long whole) => ChartFormat.Percent(part, whole);

    public static string Count(long value) => ChartFormat.Count(value);

    public static StringBuilder Open(double height, string label, string cssClass)
    {
        var sb = new StringBuilder(1024);
        sb.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart ").Append(Text(cssClass))
            .Append("\" viewBox=\"0 0 ").Append(N(Width)).Append(' ').Append(N(Math.Max(height, 1)))
            .Append("\" width=\"100%\" role=\"img\" aria-label=\"").Append(Text(label))
            .Append("\" font-family=\"system-ui, sans-serif\" font-size=\"").Append(N(FontSize)).Append("\" fill=\"").Append(Ink).Append("\">")
            .Append("<title>").Append(Text(label)).Append("</title>");
        return sb;
    }

    public static IHtmlContent Close(StringBuilder sb) => new HtmlString(sb.Append("</svg>").ToString());

    public static StringBuilder Rect(this StringBuilder sb, double x, double y, double width, double height, string fill, string? stroke = null) =>
        sb.Append("<rect x=\"").Append(N(x)).Append("\" y=\"").Append(N(y)).Append("\" width=\"").Append(N(Math.Max(width, 0)))
            .Append("\" height=\"").Append(N(Math.Max(height, 0))).Append("\" fill=\"").Append(Text(fill)).Append('"')
            .Append(stroke is null ? "" : $" stroke=\"{Text(stroke)}\" stroke-width=\"1\"").Append("/>");

    public static StringBuilder Label(this StringBuilder sb, double x, double y, string text, string anchor = "start", string? fill = null, string? weight = null, double? size = null) =>
        sb.Append("<text x=\"").Append(N(x)).Append("\" y=\"").Append(N(y)).Append("\" text-anchor=\"").Append(anchor).Append('"')
            .Append(fill is null ? "" : $" fill=\"{Text(fill)}\"")
            .Append(weight is null ? "" : $" font-weight=\"{weight}\"")
            .Append(size is null ? "" : $" font-size=\"{N(size.Value)}\"")
            .Append('>').Append(Text(text)).Append("</text>");

    public static StringBuilder Line(this StringBuilder sb, double x1, double y1, double x2, double y2, string stroke, double width = 1) =>
        sb.Append("<line x1=\"").Append(N(x1)).Append("\" y1=\"").Append(N(y1)).Append("\" x2=\"").Append(N(x2)).Append("\" y2=\"").Append(N(y2))
            .Append("\" stroke=\"").Append(Text(stroke)).Append("\" stroke-width=\"").Append(N(width)).Append("\"/>");

    /// <summary>Maps <paramref name="value"/> of <paramref name="max"/> onto <paramref name="length"/>, clamped; an empty scale maps everything to 0.</summary>
    public static double Scale(double value, double max, double length) =>
        max <= 0 || !double.IsFinite(value) || !double.IsFinite(max) ? 0 : Math.Clamp(value / max, 0, 1) * length;
}

/// <summary>How charts and the tables beside them write numbers, so both say exactly the same.</summary>
public static class ChartFormat
{
    public static string Count(long value) => value.ToString("N0", CultureInfo.CurrentCulture);

    /// <summary>Rounded down, so 99.9% never shows as 100%; "–" when there is nothing to divide by.</summary>
    public static string Percent(long part, long whole) =>
        whole <= 0 ? "–" : Math.Floor(part * 100d / whole).ToString("0", CultureInfo.InvariantCulture) + "%";

    public static double Ratio(long part, long whole) => whole <= 0 ? 0 : (double)part / whole;
}
