using System.Globalization;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Portal.Web.Infrastructure.Auth;

namespace Portal.Web.Infrastructure.Localization;

/// <summary>
/// Request localisation (docs/decisions/0070): a signed-in user's pages are in the language saved on their
/// account (carried in the sign-in cookie), anyone else's in the language cookie the switcher sets;
/// English when neither names a language the portal offers.
/// </summary>
public static class LocalizationRegistration
{
    public const string CookieName = "portal.language";

    public static IServiceCollection AddPortalLocalization(this IServiceCollection services)
    {
        services.AddLocalization();
        services.Configure<RequestLocalizationOptions>(options =>
        {
            options.DefaultRequestCulture = new RequestCulture(Languages.English);
            options.SupportedCultures = Languages.Cultures;
            options.SupportedUICultures = Languages.Cultures;
            options.FallBackToParentCultures = true;
            options.FallBackToParentUICultures = true;
            options.RequestCultureProviders =
            [
                new CustomRequestCultureProvider(context => Task.FromResult(
                    context.User.FindFirst(PortalClaimTypes.Language)?.Value is { } code && Languages.IsOffered(code)
                        ? new ProviderCultureResult(code)
                        : null)),
                new CookieRequestCultureProvider { CookieName = CookieName },
            ];
        });
        // A value the model binder cannot read ("abc" for a number) is refused in the reader's language too.
        services.Configure<MvcOptions>(options =>
        {
            var messages = options.ModelBindingMessageProvider;
            messages.SetAttemptedValueIsInvalidAccessor((value, field) => Text.Localizer["The value '{0}' is not valid for {1}.", value, field]);
            messages.SetNonPropertyAttemptedValueIsInvalidAccessor(value => Text.Localizer["The value '{0}' is not valid.", value]);
            messages.SetValueMustNotBeNullAccessor(_ => Text.Localizer["A value is required."]);
        });
        return services;
    }

    public static IApplicationBuilder UsePortalLocalization(this IApplicationBuilder app) => app.UseRequestLocalization();

    public static string CookieValue(string code) => CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(code));

    /// <summary>Renders a result in a language other than the request's (a family member's page is in their language).</summary>
    public static IActionResult InLanguage(this IActionResult result, string? code) => new LanguageResult(result, code);

    private sealed class LanguageResult(IActionResult inner, string? code) : IActionResult
    {
        public async Task ExecuteResultAsync(ActionContext context)
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = Languages.Culture(code);
            await inner.ExecuteResultAsync(context);
        }
    }
}
