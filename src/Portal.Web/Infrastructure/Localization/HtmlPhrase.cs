using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Html;
using Microsoft.Extensions.Localization;

namespace Portal.Web.Infrastructure.Localization;

/// <summary>
/// A sentence with a link (or other markup) inside, translated whole: the translator moves <c>{0}</c> where the
/// language puts it, instead of receiving "by" and "on" as fragments. The sentence is encoded; only the parts
/// (Razor templates, <c>@&lt;a href="…"&gt;…&lt;/a&gt;</c>) are markup.
/// </summary>
public static partial class HtmlPhrase
{
    public static IHtmlContent Html(this IStringLocalizer localizer, string key, params Func<object?, IHtmlContent>[] parts) =>
        new Phrase(localizer[key].Value, parts);

    private sealed class Phrase(string sentence, Func<object?, IHtmlContent>[] parts) : IHtmlContent
    {
        public void WriteTo(TextWriter writer, HtmlEncoder encoder)
        {
            var at = 0;
            foreach (Match m in Placeholder().Matches(sentence))
            {
                encoder.Encode(writer, sentence[at..m.Index]);
                var index = int.Parse(m.Groups[1].ValueSpan, System.Globalization.CultureInfo.InvariantCulture);
                if (index < parts.Length)
                    parts[index](null).WriteTo(writer, encoder);
                at = m.Index + m.Length;
            }
            encoder.Encode(writer, sentence[at..]);
        }
    }

    [GeneratedRegex(@"\{(\d)\}")]
    private static partial Regex Placeholder();
}
