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

    /// <summary>
    /// The same text for a plain-text e-mail part or an SMS: no Markdown symbols left, paragraphs separated by a
    /// blank line, list items on their own lines with a bullet, a link's address in brackets after its words.
    /// </summary>
    public string PlainText(string? markdown)
    {
        if (string.IsNullOrWhiteSpace(markdown))
            return "";
        var text = new System.Text.StringBuilder();
        foreach (var block in Markdown.Parse(markdown, _pipeline))
            WriteBlock(text, block, "");
        return text.ToString().Trim();
    }

    private static void WriteBlock(System.Text.StringBuilder text, Block block, string bullet)
    {
        switch (block)
        {
            case ListBlock list:
                var number = int.TryParse(list.OrderedStart, out var start) ? start : 1;
                foreach (var item in list)
                {
                    var marker = list.IsOrdered ? $"{number++}. " : "• ";
                    foreach (var child in (ContainerBlock)item)
                        WriteBlock(text, child, marker);
                }
                text.AppendLine();
                break;
            case ContainerBlock container:
                foreach (var child in container)
                    WriteBlock(text, child, bullet);
                break;
            case LeafBlock { Inline: { } inline }:
                text.Append(bullet);
                WriteInline(text, inline);
                text.AppendLine();
                if (bullet.Length == 0)
                    text.AppendLine();
                break;
            case LeafBlock leaf:
                text.Append(bullet).AppendLine(leaf.Lines.ToString()).AppendLine();
                break;
        }
    }

    private static void WriteInline(System.Text.StringBuilder text, ContainerInline container)
    {
        foreach (var inline in container)
        {
            switch (inline)
            {
                case LiteralInline literal: text.Append(literal.Content); break;
                case CodeInline code: text.Append(code.Content); break;
                case LineBreakInline: text.AppendLine(); break;
                case AutolinkInline autolink: text.Append(autolink.Url); break;
                case LinkInline link:
                    WriteInline(text, link);
                    if (IsSafe(link.Url) && !string.IsNullOrEmpty(link.Url)) text.Append(" (").Append(link.Url).Append(')');
                    break;
                case HtmlInline html: text.Append(html.Tag); break;
                case HtmlEntityInline entity: text.Append(entity.Transcoded); break;
                case ContainerInline nested: WriteInline(text, nested); break;
            }
        }
    }

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
