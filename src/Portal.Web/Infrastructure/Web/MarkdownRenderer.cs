using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using Microsoft.AspNetCore.Html;

namespace Portal.Web.Infrastructure.Web;

/// <summary>
/// Renders circular text. Raw HTML is disabled (it appears as text), and links or images whose
/// address is not http(s), mailto or relative lose their address, so nothing written in a circular runs.
/// </summary>
public sealed class MarkdownRenderer
{
    private readonly MarkdownPipeline _pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UsePipeTables()
        .UseAutoLinks()
        .UseEmphasisExtras()
        .UseListExtras()
        // Officers type references and steps one per line; a line break they typed stays a line break.
        .UseSoftlineBreakAsHardlineBreak()
        .Build();

    public IHtmlContent Render(string? markdown)
    {
        if (string.IsNullOrWhiteSpace(markdown))
            return HtmlString.Empty;
        var document = Markdown.Parse(markdown, _pipeline);
        foreach (var link in document.Descendants<LinkInline>())
        {
            if (!IsSafe(link.Url))
                link.Url = "#";
        }
        foreach (var link in document.Descendants<AutolinkInline>())
        {
            if (!IsSafe(link.Url))
                link.Url = "#";
        }
        using var writer = new StringWriter();
        var renderer = new Markdig.Renderers.HtmlRenderer(writer);
        _pipeline.Setup(renderer);
        renderer.Render(document);
        return new HtmlString(writer.ToString());
    }

    private static bool IsSafe(string? url)
    {
        if (string.IsNullOrWhiteSpace(url)) return true;
        var trimmed = url.Trim();
        if (!Uri.TryCreate(trimmed, UriKind.RelativeOrAbsolute, out var uri)) return false;
        if (!uri.IsAbsoluteUri) return !trimmed.Contains(':', StringComparison.Ordinal);
        return uri.Scheme is "http" or "https" or "mailto";
    }
}
