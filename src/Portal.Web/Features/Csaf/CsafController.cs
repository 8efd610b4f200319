using Microsoft.AspNetCore.Mvc;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;

namespace Portal.Web.Features.Csaf;

/// <summary>The CSAF document of any published revision, for signed-in readers who may read it.</summary>
public sealed class CsafController(IMediator mediator) : Controller
{
    [HttpGet("circulars/{id:guid}/revisions/{number:int:min(1)}/csaf.json")]
    [ResponseCache(NoStore = true, Location = ResponseCacheLocation.None)]
    public async Task<IActionResult> Revision(Guid id, int number, CancellationToken ct) =>
        File(await mediator.Send(new RevisionDocument.Query(id, number), ct), "application/json");
}
