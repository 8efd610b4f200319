using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;

namespace Portal.Web.Features.Circulars;

/// <summary>The Atom feed of circulars: open without an account (TLP:CLEAR only), fuller for signed-in readers.</summary>
[AllowAnonymous]
[Route("circulars")]
public sealed class FeedController(IMediator mediator) : Controller
{
    [HttpGet("feed.atom")]
    [ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
    public async Task<IActionResult> Atom(CancellationToken ct) =>
        File(await mediator.Send(new Feed.Query(), ct), "application/atom+xml; charset=utf-8");
}
