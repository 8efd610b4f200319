using System.Globalization;
using AngleSharp.Dom;
using Microsoft.AspNetCore.Html;
using Portal.Web.Infrastructure.Charts;

namespace Portal.Tests;

public sealed class ChartTests
{
    private static string Html(IHtmlContent content)
    {
        using var writer = new StringWriter();
        content.WriteTo(writer, System.Text.Encodings.Web.HtmlEncoder.Default);
        return writer.ToString();
    }

    private static IElement Svg(IHtmlContent content) => PortalClient.Parse(Html(content)).QuerySelector("svg")!;

    private static double Width(IElement rect) => double.Parse(rect.GetAttribute("width")!, CultureInfo.InvariantCulture);

    private static void ShouldBeWellFormed(string html)
    {
        html.ShouldNotContain("NaN");
        html.ShouldNotContain("Infinity");
        html.ShouldNotContain("-∞");
    }

    [Fact]
    public void A_progress_bar_fills_the_share_of_its_width_and_says_so()
    {
        var svg = Svg(ProgressBar.Render(25, 100, "acknowledged"));

        svg.GetAttribute("role").ShouldBe("img");
        svg.GetAttribute("aria-label").ShouldBe("25 of 100 acknowledged (25%)");
        svg.QuerySelector("title")!.TextContent.ShouldBe("25 of 100 acknowledged (25%)");
        svg.GetAttribute("viewBox").ShouldStartWith("0 0 400 ");
        svg.GetAttribute("width").ShouldBe("100%");
        var rects = svg.QuerySelectorAll("rect");
        Width(rects[0]).ShouldBe(400);
        Width(rects[1]).ShouldBe(100);
    }

    [Fact]
    public void Every_label_is_encoded()
    {
        const string evil = "<script>alert('x')</script> & \"quoted\"";
        var html = Html(BarChart.Render(evil, [new BarChart.Bar(evil, 1, evil)], 1))
            + Html(StackedBarChart.Render(evil, [new StackedBarChart.Series(evil, "red\" onload=\"alert(1)")], [new StackedBarChart.Row(evil, [5])]))
            + Html(LineChart.Render(evil, [], DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddDays(1), 0, evil))
            + Html(ProgressBar.Render(1, 2, evil));

        html.ShouldNotContain("<script>");
        html.ShouldNotContain("\"quoted\"");
        html.ShouldContain("&lt;script&gt;");
        var page = PortalClient.Parse(html);
        page.QuerySelectorAll("script").ShouldBeEmpty();
        page.QuerySelectorAll("[onload]").ShouldBeEmpty();
        page.QuerySelectorAll("svg").ShouldAllBe(s => s.GetAttribute("aria-label")!.Contains(evil) || s.GetAttribute("aria-label")!.StartsWith("1 of 2"));
        page.QuerySelectorAll("text").Select(t => t.TextContent).ShouldContain(evil);
    }

    [Fact]
    public void Empty_data_draws_empty_charts_without_dividing_by_zero()
    {
        var at = new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero);
        var outputs = new[]
        {
            Html(ProgressBar.Render(0, 0, "acknowledged")),
            Html(BarChart.Render("nothing", [])),
            Html(BarChart.Render("zeros", [new BarChart.Bar("a", 0, "0"), new BarChart.Bar("b", 0, "0")])),
            Html(StackedBarChart.Render("nothing", [new StackedBarChart.Series("Sent", "#1e6b34")], [])),
            Html(StackedBarChart.Render("zeros", [new StackedBarChart.Series("Sent", "#1e6b34")], [new StackedBarChart.Row("E-mail", [0])])),
            Html(LineChart.Render("nothing", [], at, at)),
            Html(LineChart.Render("flat", [new LineChart.Point(at, 0)], at, at.AddHours(3))),
        };

        foreach (var html in outputs)
            ShouldBeWellFormed(html);
        Svg(ProgressBar.Render(0, 0, "acknowledged")).GetAttribute("aria-label").ShouldBe("0 of 0 acknowledged (–)");
        Width(Svg(ProgressBar.Render(0, 0, "acknowledged")).QuerySelectorAll("rect")[1]).ShouldBe(0);
        Svg(BarChart.Render("nothing", [])).TextContent.ShouldContain("No data");
    }

    [Fact]
    public void Bars_map_values_to_widths_against_the_given_maximum_or_the_largest_bar()
    {
        var ofHundred = Svg(BarChart.Render("per cent", [new BarChart.Bar("half", 50, "50%"), new BarChart.Bar("all", 100, "100%")], 100));
        var fills = ofHundred.QuerySelectorAll("rect").Where((_, i) => i % 2 == 1).Select(Width).ToList();
        fills.ShouldBe([BarChart.PlotWidth / 2, BarChart.PlotWidth]);

        var relative = Svg(BarChart.Render("counts", [new BarChart.Bar("ten", 10, "10"), new BarChart.Bar("five", 5, "5")]));
        relative.QuerySelectorAll("rect").Where((_, i) => i % 2 == 1).Select(Width).ShouldBe([BarChart.PlotWidth, BarChart.PlotWidth / 2]);
        relative.QuerySelectorAll("text").Select(t => t.TextContent).ShouldBe(["ten", "10", "five", "5"]);
    }

    [Fact]
    public void Stacked_segments_fill_their_own_rows_width_and_carry_their_counts()
    {
        StackedBarChart.Series[] series = [new("Sent", "#1e6b34"), new("Failed", "#a4161a")];
        var svg = Svg(StackedBarChart.Render("delivery", series, [new StackedBarChart.Row("E-mail", [300, 100]), new StackedBarChart.Row("SMS", [200, 0])]));

        var segments = svg.QuerySelectorAll("rect[stroke='#ffffff']").Select(Width).ToList();
        segments.ShouldBe([StackedBarChart.PlotWidth * 0.75, StackedBarChart.PlotWidth * 0.25, StackedBarChart.PlotWidth]);
        var texts = svg.QuerySelectorAll("text").Select(t => t.TextContent).ToList();
        texts.ShouldContain("300");
        texts.ShouldContain("400");
        texts.ShouldContain("Sent");
        texts.ShouldContain("Failed");
    }

    [Fact]
    public void A_line_chart_has_axes_with_date_ticks_and_ends_at_the_last_value()
    {
        var from = new DateTimeOffset(2026, 11, 1, 10, 30, 0, TimeSpan.Zero);
        var to = from.AddDays(10);
        var points = Enumerable.Range(0, 11).Select(d => new LineChart.Point(from.AddDays(d), d * 10)).ToList();

        var svg = Svg(LineChart.Render("rising to 100", points, from, to, 120));

        svg.QuerySelector("polyline")!.GetAttribute("points")!.Split(' ').Length.ShouldBe(11);
        var texts = svg.QuerySelectorAll("text").Select(t => t.TextContent).ToList();
        texts.ShouldContain("2 Nov");
        texts.ShouldContain("0");
        texts.ShouldContain("100");
        var ticks = LineChart.Ticks(from, to, hourly: false);
        ticks.Count.ShouldBeInRange(4, 7);
        ticks.ShouldAllBe(t => t.TimeOfDay == TimeSpan.Zero && t >= from && t <= to);
        var hours = LineChart.Ticks(from, from.AddHours(20), hourly: true);
        hours.Count.ShouldBeInRange(3, 7);
        hours.ShouldAllBe(t => t.Minute == 0 && t >= from);
    }

    [Theory]
    [InlineData(0.3, 1)]
    [InlineData(3, 5)]
    [InlineData(7, 10)]
    [InlineData(40, 50)]
    [InlineData(1234, 2000)]
    [InlineData(125000, 200000)]
    public void Axis_steps_are_the_next_one_two_or_five_times_a_power_of_ten(double rough, double step) =>
        LineChart.NiceStep(rough).ShouldBe(step);
}
