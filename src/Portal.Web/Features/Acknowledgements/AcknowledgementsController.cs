using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Portal.Web.Infrastructure.Web;
using Microsoft.Extensions.Localization;
using Portal.Web.Infrastructure.Auth;
using Portal.Web.Infrastructure.Localization;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;

namespace Portal.Web.Features.Acknowledgements;

public sealed class AcknowledgementsController(IMediator mediator, IStringLocalizer<Text> text) : Controller
{
    [HttpPost("circulars/{id:guid}/acknowledge")]
    public async Task<IActionResult> Acknowledge(Guid id, Acknowledge.Command command, CancellationToken ct)
    {
        command.CircularId = id;
        await mediator.Send(command, ct);
        TempData["Notice"] = text["Thank you: your acknowledgement is recorded."].Value;
        return Redirect($"/circulars/{id}");
    }

    [AllowAnonymous]
    [EnableRateLimiting(Hardening.AnonymousDoors)]
    [HttpGet("family/{token}")]
    public async Task<IActionResult> Family(string? token, CancellationToken ct)
    {
        var notice = await mediator.Send(new FamilyNotice.Query(token ?? ""), ct);
        Response.StatusCode = notice.Outcome switch
        {
            FamilyNotice.Outcome.Forged => StatusCodes.Status400BadRequest,
            FamilyNotice.Outcome.Expired => StatusCodes.Status410Gone,
            FamilyNotice.Outcome.Gone => StatusCodes.Status404NotFound,
            _ => StatusCodes.Status200OK,
        };
        // The member's own language, unless whoever opened the link has chosen one with the switch.
        return Request.Cookies.ContainsKey(LocalizationRegistration.CookieName) ? View("Family", notice) : View("Family", notice).InLanguage(notice.Language);
    }

    /// <summary>
    /// The link itself is the credential (signed, expiring, good for one acknowledgement) and the request
    /// carries no cookie authority, so there is nothing for a cross-site forgery to borrow: no antiforgery token.
    /// </summary>
    [AllowAnonymous]
    [EnableRateLimiting(Hardening.AnonymousDoors)]
    [IgnoreAntiforgeryToken]
    [HttpPost("family/{token}")]
    public async Task<IActionResult> FamilyAcknowledge(string? token, CancellationToken ct)
    {
        token ??= "";
        await mediator.Send(new FamilyAcknowledge.Command(token), ct);
        // Not RedirectToAction: the app lower-cases generated URLs, and the token is case-sensitive.
        return Redirect("/family/" + Uri.EscapeDataString(token));
    }
}

public sealed class AcknowledgementBoxViewComponent(IMediator mediator, ICurrentUser user) : ViewComponent
{
    /// <summary>"top": one line under the heading saying what is asked and leading to the box; "end": the box itself, after the text.</summary>
    public async Task<IViewComponentResult> InvokeAsync(Guid circularId, string placement = "end")
    {
        if (!user.IsSignedIn)
            return Content("");
        var mine = await mediator.Send(new MyAcknowledgement.Query(circularId));
        return mine is null ? Content("") : View("~/Features/Acknowledgements/AcknowledgementBox.cshtml", (circularId, mine, placement == "top"));
    }
}
