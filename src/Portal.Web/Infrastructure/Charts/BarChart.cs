using Microsoft.AspNetCore.Html;

namespace Portal.Web.Infrastructure.Charts;

/// <summary>
/// Horizontal bars, one per row: the row's name above its bar, and its value written at the right, so
/// the chart reads without colour and long names never collide with the bars on a phone.
/// </summary>
public static class BarChart
{
    public sealed record Bar(string Name, double Value, string ValueText);

    public const double RowHeight = 50;
    public const double ValueColumn = 140;
    public const double PlotWidth = Svg.Width - ValueColumn;

    /// <param name="label">The accessible name: what the chart shows, with its numbers.</param>
    /// <param name="max">The value a full bar stands for (100 for percentages); 0 or less scales to the largest bar.</param>
    public static IHtmlContent Render(string label, IReadOnlyList<Bar> bars, double max = 0)
    {
        var scaleMax = max > 0 ? max : bars.Count == 0 ? 0 : bars.Max(b => b.Value);
        var sb = Svg.Open(Math.Max(bars.Count, 1) * RowHeight, label, "bars");
        if (bars.Count == 0)
            sb.Label(0, 28, Localization.Text.Localizer["No data"].Value, fill: Svg.Muted);
        for (var i = 0; i < bars.Count; i++)
        {
            var bar = bars[i];
            var top = i * RowHeight;
            sb.Label(0, top + 17, bar.Name);
            sb.Rect(0, top + 24, PlotWidth, 20, Svg.Track, Svg.Muted);
            sb.Rect(0, top + 24, Svg.Scale(bar.Value, scaleMax, PlotWidth), 20, Svg.Accent);
            sb.Label(Svg.Width, top + 40, bar.ValueText, anchor: "end", weight: "600");
        }
        return Svg.Close(sb);
    }
}
