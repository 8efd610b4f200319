using System.Globalization;

namespace Portal.Web.Domain;

/// <summary>
/// A sentence for a person, kept as its English template and the values that fill it ("This circular is {0}.",
/// state), so that it is put into the reader's language where it is shown, not where it is composed
/// (docs/decisions/0072). A value that is itself a sentence is translated too; a list of sentences is said one
/// after another; anything else (a name, a number someone typed) is shown as it is, formatted in the reader's culture.
/// </summary>
public sealed class Sentence
{
    public Sentence(string template, params object?[] values)
    {
        Template = template;
        Values = values;
    }

    /// <summary>The English text with <c>{0}</c> placeholders: the key of the translation in Text.hi.resx.</summary>
    public string Template { get; }

    public IReadOnlyList<object?> Values { get; }

    public static implicit operator Sentence(string text) => new(text);

    /// <summary>Sentences said one after another, each translated on its own.</summary>
    public static Sentence Join(IEnumerable<Sentence> sentences) => new("{0}", sentences.ToList());

    /// <summary>Fills the translated template (<paramref name="translate"/> gives the English back when it has none).</summary>
    public string Say(Func<string, string> translate, IFormatProvider culture)
    {
        var values = Values.Select(v => v switch
        {
            Sentence inner => inner.Say(translate, culture),
            IEnumerable<Sentence> list => string.Join(" ", list.Select(s => s.Say(translate, culture))),
            _ => v,
        }).ToArray();
        var template = translate(Template);
        return values.Length == 0 ? template : string.Format(culture, template, values);
    }

    /// <summary>The English sentence (logs, exception messages, tests).</summary>
    public override string ToString() => Say(t => t, CultureInfo.InvariantCulture);
}
