using System.Globalization;
using FluentValidation;
using Microsoft.Extensions.Localization;
using Portal.Web.Domain;

namespace Portal.Web.Infrastructure.Localization;

/// <summary>Says a <see cref="Sentence"/> in the current UI culture (docs/decisions/0072).</summary>
public static class Sentences
{
    public static string Say(this IStringLocalizer text, Sentence sentence) =>
        sentence.Say(key => text[key].Value, CultureInfo.CurrentCulture);

    /// <summary>A refusal of one field whose message is composed from values: its English as the message, the sentence as its state, which <c>RequestFailureFilter</c> says in the reader's language.</summary>
    public static FluentValidation.Results.ValidationFailure Failure(string property, Sentence sentence) =>
        new(property, sentence.ToString()) { CustomState = sentence };
}

/// <summary>A validator's message composed from what was typed, said in the reader's language.</summary>
public static class SentenceMessages
{
    public static IRuleBuilderOptions<T, TProperty> WithSentence<T, TProperty>(
        this IRuleBuilderOptions<T, TProperty> rule, Func<T, TProperty, Sentence> sentence) =>
        rule.WithMessage((root, value) => sentence(root, value).ToString()).WithState((root, value) => sentence(root, value));
}
