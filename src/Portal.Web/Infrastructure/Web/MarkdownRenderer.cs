using Markdig;
using Markdig.Syntax;
using Markdig.Renderers.Html;
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
            else if (IsExternal(link.Url))
            {
                // "//host/path" is an absolute link to another site, whatever it looks like: written out as https and
                // marked like every other link that leaves the portal.
                if (IsSchemeRelative(link.Url!.Trim())) link.Url = "https://" + link.Url.Trim().TrimStart('/', '\\');
                link.GetAttributes().AddPropertyIfNotExist("rel", "noopener noreferrer nofollow");
            }
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

    /// <summary>"//host" and the backslash spellings browsers read the same way.</summary>
    private static bool IsSchemeRelative(string url) =>
        url.Length > 1 && url[0] is '/' or '\\' && url[1] is '/' or '\\';

    private static bool IsExternal(string? url) =>
        url is not null && (IsSchemeRelative(url.Trim()) || Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https");

    private static bool IsSafe(string? url)
    {
        if (string.IsNullOrWhiteSpace(url)) return true;
        var trimmed = url.Trim();
        if (IsSchemeRelative(trimmed)) return true;
        if (!Uri.TryCreate(trimmed, UriKind.RelativeOrAbsolute, out var uri)) return false;
        if (!uri.IsAbsoluteUri) return !trimmed.Contains(':', StringComparison.Ordinal);
        return uri.Scheme is "http" or "https" or "mailto";
    }
}
