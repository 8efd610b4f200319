using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Portal.Web.Features.Errors;

/// <summary>Every failure ends on one of these pages: a plain message and the right status, never a stack trace.</summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
// A re-executed POST may carry a body already read in part (a refused upload): the error page never reads it.
[Portal.Web.Infrastructure.Web.DisableFormValueModelBinding]
[Route("error")]
public sealed class ErrorsController : Controller
{
    [Route("")]
    public IActionResult Index() => Show(StatusCodes.Status500InternalServerError);

    [Route("{status:int}")]
    public IActionResult Status(int status) => Show(status);

    private ViewResult Show(int status)
    {
        var (title, message) = status switch
        {
            400 => ("The request could not be accepted",
                "The form was incomplete, malformed or has expired (for example after a long pause). Go back, reload the page and try again; nothing was saved."),
            401 => ("Please sign in", "You need to sign in to see this page."),
            403 => ("You do not have access to this page", "Your account's role does not allow this. If you think it should, ask an administrator."),
            404 => ("Not found", "There is nothing at this address, or it is not available to you."),
            405 => ("Not allowed", "This page cannot be used that way."),
            409 => ("Changed meanwhile", "Someone else changed this record. Reload it and try again."),
            429 => ("Too many requests", "Please wait a moment and try again."),
            _ => ("Something went wrong", "The portal could not complete this request. Nothing was half-saved. Try again; if it keeps happening, tell the administrators the time it happened."),
        };
        Response.StatusCode = status;
        ViewData["Title"] = title;
        return View("Error", new ErrorModel(status, title, message));
    }
}

public sealed record ErrorModel(int Status, string Title, string Message);
