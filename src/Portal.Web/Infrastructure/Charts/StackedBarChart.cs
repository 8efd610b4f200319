using Microsoft.AspNetCore.Html;

namespace Portal.Web.Infrastructure.Charts;

/// <summary>
/// One stacked bar per row (say, a delivery channel), split into series (say, Sent, Pending, Failed). Each bar
/// is drawn against its own row's total, so a channel with few messages shows its share as plainly as a busy one.
/// Segments are told apart by white gaps and by the count written inside each segment wide enough to
/// hold it, and a legend names the series in words: colour is never the only cue.
/// </summary>
public static class StackedBarChart
{
    /// <param name="Colour">A fill on which white text has at least 4.5:1 contrast.</param>
    public sealed record Series(string Name, string Colour);

    public sealed record Row(string Name, IReadOnlyList<long> Values);

    public const double RowHeight = 54;
    public const double TotalColumn = 80;
    public const double PlotWidth = Svg.Width - TotalColumn;
    private const double LegendRow = 24;

    public static IHtmlContent Render(string label, IReadOnlyList<Series> series, IReadOnlyList<Row> rows)
    {
        var legendTop = Math.Max(rows.Count, 1) * RowHeight + 6;
        var sb = Svg.Open(legendTop + LegendRow * Math.Ceiling(series.Count / 2d), label, "stacked");
        if (rows.Count == 0)
            sb.Label(0, 28, Localization.Text.Localizer["No data"].Value, fill: Svg.Muted);
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var top = i * RowHeight;
            var total = row.Values.Sum();
            sb.Label(0, top + 17, row.Name);
            sb.Rect(0, top + 24, PlotWidth, 24, Svg.Track, Svg.Muted);
            var x = 0d;
            for (var s = 0; s < series.Count && s < row.Values.Count; s++)
            {
                var width = Svg.Scale(row.Values[s], total, PlotWidth);
                if (width <= 0)
                    continue;
                sb.Rect(x, top + 24, width, 24, series[s].Colour, "#ffffff");
                var text = Svg.Count(row.Values[s]);
                if (Svg.EstimateWidth(text, 13) + 6 <= width)
                    sb.Label(x + width / 2, top + 41, text, anchor: "middle", fill: "#ffffff", weight: "600", size: 13);
                x += width;
            }
            sb.Label(Svg.Width, top + 41, Svg.Count(total), anchor: "end", weight: "600");
        }
        for (var s = 0; s < series.Count; s++)
        {
            var x = s % 2 * (Svg.Width / 2);
            var y = legendTop + s / 2 * LegendRow;
            sb.Rect(x, y + 3, 16, 16, series[s].Colour);
            sb.Label(x + 22, y + 17, series[s].Name);
        }
        return Svg.Close(sb);
    }
}
