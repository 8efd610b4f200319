using Microsoft.AspNetCore.Html;

namespace Portal.Web.Infrastructure.Charts;

/// <summary>One bar of progress towards a whole: "62 of 100 acknowledged (62%)", written above the bar.</summary>
public static class ProgressBar
{
    public const double BarHeight = 28;

    /// <param name="what">What is counted, e.g. "acknowledged"; forms the caption and the accessible name.</param>
    public static IHtmlContent Render(long done, long total, string what)
    {
        var caption = Localization.Text.Localizer["{0} of {1} {2} ({3})", Svg.Count(done), Svg.Count(total), what, Svg.Percent(done, total)].Value;
        var sb = Svg.Open(26 + BarHeight + 4, caption, "progress");
        sb.Label(0, 18, caption, weight: "600");
        sb.Rect(0, 26, Svg.Width, BarHeight, Svg.Track, Svg.Muted);
        sb.Rect(0, 26, Svg.Scale(done, total, Svg.Width), BarHeight, Svg.Accent);
        return Svg.Close(sb);
    }
}
