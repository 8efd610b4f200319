using System.Globalization;
using Microsoft.AspNetCore.Html;

namespace Portal.Web.Infrastructure.Charts;

/// <summary>
/// A value over time (a cumulative count, say) as a line over a shaded area, with a value axis from
/// zero and a time axis ticked at whole UTC days, or at whole hours for spans of two days or less.
/// </summary>
public static class LineChart
{
    public readonly record struct Point(DateTimeOffset At, double Value);

    public const double Height = 260;
    public const double Left = 48;
    public const double Right = 14;
    public const double Top = 14;
    public const double Bottom = 56;
    public const double PlotWidth = Svg.Width - Left - Right;
    public const double PlotHeight = Height - Top - Bottom;

    /// <param name="label">The accessible name: what the line shows and where it ends.</param>
    /// <param name="yMax">The top of the value axis (the whole a count rises towards); 0 or less uses the largest value.</param>
    public static IHtmlContent Render(string label, IReadOnlyList<Point> points, DateTimeOffset from, DateTimeOffset to, double yMax = 0, string? emptyText = null)
    {
        if (to <= from)
            to = from.AddHours(1);
        var top = NiceTop(yMax > 0 ? yMax : points.Count == 0 ? 0 : points.Max(p => p.Value));
        var span = (to - from).TotalSeconds;
        double X(DateTimeOffset at) => Left + Svg.Scale((at - from).TotalSeconds, span, PlotWidth);
        double Y(double value) => Top + PlotHeight - Svg.Scale(value, top, PlotHeight);

        var sb = Svg.Open(Height, label, "line");
        var step = NiceStep(top / 4);
        for (var tick = 0d; tick <= top + step / 1000; tick += step)
        {
            var y = Y(tick);
            sb.Line(Left, y, Left + PlotWidth, y, tick == 0 ? Svg.Muted : Svg.Track);
            sb.Label(Left - 6, y + 5, Compact(tick), anchor: "end", size: 13);
        }
        sb.Line(Left, Top, Left, Top + PlotHeight, Svg.Muted);

        var hourly = (to - from) <= TimeSpan.FromDays(2);
        foreach (var tick in Ticks(from, to, hourly))
        {
            var x = X(tick);
            sb.Line(x, Top + PlotHeight, x, Top + PlotHeight + 5, Svg.Muted);
            var text = !hourly || tick.TimeOfDay == TimeSpan.Zero ? tick.ToString("d MMM", CultureInfo.CurrentCulture) : tick.ToString("HH:mm", CultureInfo.CurrentCulture);
            sb.Label(x, Top + PlotHeight + 22, text, anchor: "middle", size: 13);
        }
        sb.Label(Left + PlotWidth / 2, Height - 10,
            Localization.Text.Localizer["UTC, {0} to {1}", from.UtcDateTime.ToString("d MMM HH:mm", CultureInfo.CurrentCulture), to.UtcDateTime.ToString("d MMM HH:mm", CultureInfo.CurrentCulture)].Value,
            anchor: "middle", fill: Svg.Muted, size: 13);

        if (points.Count == 0)
        {
            sb.Label(Left + PlotWidth / 2, Top + PlotHeight / 2, emptyText ?? Localization.Text.Localizer["No data yet"].Value, anchor: "middle", fill: Svg.Muted);
            return Svg.Close(sb);
        }
        var ordered = points.OrderBy(p => p.At).ToList();
        var coordinates = string.Join(" ", ordered.Select(p => $"{Svg.N(X(p.At))},{Svg.N(Y(p.Value))}"));
        sb.Append("<polygon fill=\"").Append(Svg.AreaFill).Append("\" points=\"")
            .Append(Svg.N(X(ordered[0].At))).Append(',').Append(Svg.N(Y(0))).Append(' ').Append(coordinates).Append(' ')
            .Append(Svg.N(X(ordered[^1].At))).Append(',').Append(Svg.N(Y(0))).Append("\"/>");
        sb.Append("<polyline fill=\"none\" stroke=\"").Append(Svg.Accent).Append("\" stroke-width=\"2.5\" stroke-linejoin=\"round\" points=\"")
            .Append(coordinates).Append("\"/>");
        var last = ordered[^1];
        sb.Append("<circle cx=\"").Append(Svg.N(X(last.At))).Append("\" cy=\"").Append(Svg.N(Y(last.Value)))
            .Append("\" r=\"4\" fill=\"").Append(Svg.Accent).Append("\"/>");
        sb.Label(Math.Min(X(last.At), Left + PlotWidth) - 6, Math.Max(Y(last.Value) - 8, Top + 12), Svg.Count((long)last.Value), anchor: "end", weight: "600");
        return Svg.Close(sb);
    }

    /// <summary>Tick times inside [from, to]: at most about six, on whole UTC days or hours.</summary>
    public static IReadOnlyList<DateTimeOffset> Ticks(DateTimeOffset from, DateTimeOffset to, bool hourly)
    {
        var ticks = new List<DateTimeOffset>();
        if (to <= from)
            return ticks;
        if (hourly)
        {
            var hours = (to - from).TotalHours;
            var step = new[] { 1, 2, 3, 6, 12, 24 }.First(h => hours / h <= 6 || h == 24);
            var start = new DateTimeOffset(from.UtcDateTime.Date.AddHours(from.UtcDateTime.Hour), TimeSpan.Zero);
            for (var t = start; t <= to; t = t.AddHours(1))
                if (t >= from && t.Hour % step == 0)
                    ticks.Add(t);
        }
        else
        {
            var days = (to - from).TotalDays;
            var step = (int)Math.Max(1, Math.Ceiling(days / 6));
            var start = new DateTimeOffset(from.UtcDateTime.Date, TimeSpan.Zero);
            if (start < from)
                start = start.AddDays(1);
            for (var t = start; t <= to; t = t.AddDays(step))
                ticks.Add(t);
        }
        return ticks;
    }

    /// <summary>1, 2 or 5 times a power of ten: the step of a readable axis.</summary>
    public static double NiceStep(double rough)
    {
        if (rough <= 0 || !double.IsFinite(rough))
            return 1;
        var power = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var fraction = rough / power;
        var nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
        return Math.Max(1, nice * power);
    }

    private static double NiceTop(double max)
    {
        if (max <= 0 || !double.IsFinite(max))
            return 4;
        var step = NiceStep(max / 4);
        return Math.Ceiling(max / step) * step;
    }

    private static string Compact(double value) => value switch
    {
        >= 1_000_000 => (value / 1_000_000).ToString("0.#", CultureInfo.CurrentCulture) + "M",
        >= 10_000 => (value / 1_000).ToString("0.#", CultureInfo.CurrentCulture) + "k",
        _ => value.ToString("N0", CultureInfo.CurrentCulture),
    };
}
