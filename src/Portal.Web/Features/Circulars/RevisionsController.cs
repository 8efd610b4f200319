using Microsoft.AspNetCore.Mvc;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;

namespace Portal.Web.Features.Circulars;

/// <summary>Reading published revisions: one revision, its print page, and the changes between two.</summary>
[Route("circulars/{id:guid}")]
public sealed class RevisionsController(IMediator mediator) : Controller
{
    // Views sit with the rest of the circulars feature, not in a folder of their own.
    private const string Views = "/Features/Circulars/";

    [HttpGet("revisions/{number:int}")]
    public async Task<IActionResult> Revision(Guid id, int number, CancellationToken ct) =>
        View(Views + "Revision.cshtml", await mediator.Send(new Revision.Query(id, number), ct));

    [HttpGet("revisions/{number:int}/print")]
    public async Task<IActionResult> Print(Guid id, int number, CancellationToken ct) =>
        View(Views + "Print.cshtml", await mediator.Send(new Revision.Query(id, number), ct));

    [HttpGet("diff")]
    public async Task<IActionResult> Diff(Guid id, string? from, string? to, CancellationToken ct) =>
        View(Views + "Diff.cshtml", await mediator.Send(new Diff.Query(id, from, to), ct));
}
