using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;

namespace Portal.Web.Infrastructure.Web;

/// <summary>
/// Turns a PostgreSQL ts_headline into safe HTML. The database marks matches with two private-use
/// characters instead of tags; everything it returns is then encoded here, and only the markers
/// become &lt;mark&gt;, so text written in a circular can never reach the page as markup.
/// </summary>
public static class SearchSnippet
{
    public const char Start = '\uE000';
    public const char Stop = '\uE001';

    /// <summary>The ts_headline options: up to two short fragments around the matches.</summary>
    public static readonly string HeadlineOptions =
        $"StartSel=\"{Start}\", StopSel=\"{Stop}\", MaxWords=20, MinWords=8, ShortWord=3, MaxFragments=2, FragmentDelimiter=\" … \"";

    public static IHtmlContent ToHtml(string? headline)
    {
        if (string.IsNullOrWhiteSpace(headline))
            return HtmlString.Empty;
        var html = new StringBuilder(headline.Length + 32);
        var text = new StringBuilder();
        var marking = false;
        foreach (var ch in Plain(headline))
        {
            if (ch is not (Start or Stop))
            {
                text.Append(ch);
                continue;
            }
            Flush();
            if (marking != (ch == Start))
                html.Append(marking ? "</mark>" : "<mark>");
            marking = ch == Start;
        }
        Flush();
        if (marking) html.Append("</mark>");
        return new HtmlString(html.ToString().Trim());

        void Flush()
        {
            html.Append(HtmlEncoder.Default.Encode(text.ToString()));
            text.Clear();
        }
    }

    // The sections are Markdown: a snippet reads better without emphasis stars, code ticks and heading
    // hashes, and with line breaks as spaces.
    private static string Plain(string headline)
    {
        var plain = new StringBuilder(headline.Length);
        var lastWasSpace = false;
        foreach (var ch in headline)
        {
            if (ch is '*' or '`' or '#') continue;
            var space = char.IsWhiteSpace(ch);
            if (space && lastWasSpace) continue;
            plain.Append(space ? ' ' : ch);
            lastWasSpace = space;
        }
        return plain.ToString();
    }
}
