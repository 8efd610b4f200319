using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Portal.Web.Infrastructure.Web;

namespace Portal.Web.Features.Errors;

/// <summary>Every failure ends on one of these pages: a plain message and the right status, never a stack trace.</summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
// A re-executed POST may carry a body already read in part (a refused upload): the error page never reads it.
[Portal.Web.Infrastructure.Web.DisableFormValueModelBinding]
[Route("error")]
public sealed class ErrorsController : Controller
{
    /// <summary>After an exception: a request the server could not read (too large, malformed) is the client's 4xx, anything else a 500.</summary>
    [Route("")]
    public IActionResult Index() =>
        HttpContext.Features.Get<IExceptionHandlerFeature>() is { } failure
            ? Show(HostileInput.StatusFor(failure.Error) ?? StatusCodes.Status500InternalServerError)
            : Show(StatusCodes.Status404NotFound);

    /// <summary>Only statuses that are real errors: any other number is an address that does not exist.</summary>
    /// <remarks>
    /// Read from the route, not bound: re-executed for a request whose body could not be read (too many
    /// fields, say), binding would fail again and lose the status.
    /// </remarks>
    [Route("{status:int}")]
    public IActionResult Status() =>
        int.TryParse(RouteData.Values["status"] as string, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var status)
        && status is >= 400 and <= 599 && ReasonPhrases.GetReasonPhrase(status).Length > 0
            ? Show(status)
            : Show(StatusCodes.Status404NotFound);

    private ViewResult Show(int status)
    {
        var (title, message) = status switch
        {
            400 => ("The request could not be accepted",
                "The form was incomplete, malformed (it may hold an invisible character, such as a NUL byte, pasted with the text) or has expired (for example after a long pause). Go back, reload the page and try again; nothing was saved."),
            401 => ("Please sign in", "You need to sign in to see this page."),
            403 => ("You do not have access to this page", "Your account's role does not allow this. If you think it should, ask an administrator."),
            404 => ("Not found", "There is nothing at this address, or it is not available to you."),
            405 => ("Not allowed", "This page cannot be used that way."),
            409 => ("Changed meanwhile", "Someone else changed this record. Reload it and try again."),
            410 => ("No longer available", "This link has expired or has already been used."),
            413 => ("Too much at once", "What was sent is larger than the portal accepts. Shorten the text (or send a smaller file) and try again; nothing was saved."),
            415 => ("Not accepted", "The portal does not accept data in this format."),
            429 => ("Too many requests", "Please wait a moment and try again."),
            _ => ("Something went wrong", "The portal could not complete this request. Nothing was half-saved. Try again; if it keeps happening, tell the administrators the time it happened."),
        };
        Response.StatusCode = status;
        // An error is never cached; set here in full, because the failed response may have set a header of its own
        // (OpenIddict's "no-store" on /connect), which the layout's forms would otherwise have overridden with a warning.
        Response.NeverCached();
        ViewData["Title"] = title;
        return View("Error", new ErrorModel(status, title, message));
    }
}

public sealed record ErrorModel(int Status, string Title, string Message);
