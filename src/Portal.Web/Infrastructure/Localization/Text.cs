using System.Globalization;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Portal.Web.Infrastructure.Localization;

/// <summary>
/// The one place the portal's fixed wording lives (docs/decisions/0070): <c>Text.resx</c> holds nothing but
/// proves the English key is the English text; <c>Text.hi.resx</c> (and any later <c>Text.xx.resx</c>) maps the
/// English text to the translation. Views reach it as <c>@T["..."]</c>, code as <c>IStringLocalizer&lt;Text&gt;</c>.
/// </summary>
public sealed class Text
{
    /// <summary>
    /// The same resources for code that runs outside dependency injection (chart captions, validation messages);
    /// it follows the current UI culture like the injected localizer.
    /// </summary>
    public static IStringLocalizer Localizer { get; } = new ResourceManagerStringLocalizerFactory(
        Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance).Create(typeof(Text));
}

/// <summary>The languages the portal is offered in, and how a code someone sent becomes one of them.</summary>
public static class Languages
{
    public const string English = "en";
    public const string Hindi = "hi";

    /// <summary>Code and the language's own name, shown as it is written in that language.</summary>
    public static readonly IReadOnlyList<(string Code, string Name)> Offered = [(English, "English"), (Hindi, "हिन्दी")];

    public static readonly CultureInfo[] Cultures = Offered.Select(l => CultureInfo.GetCultureInfo(l.Code)).ToArray();

    /// <summary>"hi", "hi-IN" and "HI" are Hindi; anything not offered (or nothing) is English.</summary>
    public static string Normalise(string? code)
    {
        var primary = code?.Split('-', '_')[0].Trim().ToLowerInvariant();
        return Offered.Any(l => l.Code == primary) ? primary! : English;
    }

    public static bool IsOffered(string? code) => code is not null && Offered.Any(l => l.Code == code);

    public static CultureInfo Culture(string? code) => CultureInfo.GetCultureInfo(Normalise(code));

    /// <summary>Switches the current thread's culture until disposed: for text composed outside a request (e-mail, SMS).</summary>
    public static IDisposable Use(string? code)
    {
        var (culture, ui) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = Culture(code);
        return new Restore(() => (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (culture, ui));
    }

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }
}
