using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Portal.Web.Infrastructure.Web;
using Portal.Web.Domain;
using Portal.Web.Infrastructure.Auth;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;

namespace Portal.Web.Features.Account;

[Route("account")]
public sealed class AccountController(IMediator mediator) : Controller
{
    [AllowAnonymous, HttpGet("sign-in")]
    public IActionResult SignIn(string? returnUrl) => View(new SignIn.Command { ReturnUrl = returnUrl });

    [AllowAnonymous, HttpPost("sign-in"), EnableRateLimiting(Hardening.AnonymousDoors)]
    public async Task<IActionResult> SignIn(SignIn.Command command, CancellationToken ct) =>
        await mediator.Send(command, ct) switch
        {
            Account.SignIn.Outcome.NeedsTwoFactorCode => RedirectToAction(nameof(TwoFactor), new { command.ReturnUrl, command.RememberMe }),
            _ => LocalRedirect(SafeReturn(command.ReturnUrl)),
        };

    [AllowAnonymous, HttpGet("two-factor")]
    public IActionResult TwoFactor(string? returnUrl, bool rememberMe) =>
        View(new TwoFactorSignIn.Command { ReturnUrl = returnUrl, RememberMe = rememberMe });

    [AllowAnonymous, HttpPost("two-factor"), EnableRateLimiting(Hardening.AnonymousDoors)]
    public async Task<IActionResult> TwoFactor(TwoFactorSignIn.Command command, CancellationToken ct)
    {
        await mediator.Send(command, ct);
        return LocalRedirect(SafeReturn(command.ReturnUrl));
    }

    [HttpGet("two-factor-setup")]
    public IActionResult TwoFactorSetup() => View(new TwoFactorSetup.Command());

    [HttpPost("two-factor-setup")]
    public async Task<IActionResult> TwoFactorSetup(TwoFactorSetup.Command command, CancellationToken ct)
    {
        var codes = await mediator.Send(command, ct);
        TempData["RecoveryCodes"] = string.Join(' ', codes);
        return RedirectToAction(nameof(RecoveryCodes));
    }

    [HttpGet("recovery-codes")]
    public IActionResult RecoveryCodes() =>
        TempData["RecoveryCodes"] is string codes ? View(codes.Split(' ')) : RedirectToAction("Index", "Home");

    /// <summary>A new security stamp ends this session and every other of the account: a cookie saved before is worth nothing after.</summary>
    [HttpPost("sign-out")]
    public async Task<IActionResult> SignOut([FromServices] SignInManager<PortalUser> signIn)
    {
        if (await signIn.UserManager.GetUserAsync(User) is { } user)
            await signIn.UserManager.UpdateSecurityStampAsync(user);
        await signIn.SignOutAsync();
        return RedirectToAction(nameof(SignIn));
    }

    private string SafeReturn(string? returnUrl) => Url.IsLocalUrl(returnUrl) ? returnUrl! : "/";
}
