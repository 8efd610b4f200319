using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Portal.Web.Domain;
using Portal.Web.Infrastructure.Auth;
using Portal.Web.Infrastructure.Localization;

namespace Portal.Web.Features.Language;

/// <summary>
/// The language switch on every page: a plain form, so it works without JavaScript. The cookie serves whoever
/// is not signed in; a signed-in user's sign-in cookie is reissued so it carries the language saved on the account.
/// </summary>
[AllowAnonymous]
public sealed class LanguageController(IMediator mediator, SignInManager<PortalUser> signIn) : Controller
{
    [HttpPost("language")]
    public async Task<IActionResult> Choose(ChooseLanguage.Command command, CancellationToken ct)
    {
        var code = Languages.Normalise(command.Language);
        if (User.Identity?.IsAuthenticated == true)
        {
            await mediator.Send(command, ct);
            if (await signIn.UserManager.GetUserAsync(User) is { } user)
                await signIn.RefreshSignInAsync(user);
        }
        Response.Cookies.Append(LocalizationRegistration.CookieName, LocalizationRegistration.CookieValue(code),
            new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true, MaxAge = TimeSpan.FromDays(365) });
        return LocalRedirect(Url.IsLocalUrl(command.ReturnUrl) ? command.ReturnUrl! : "/");
    }
}
