using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Portal.Web.Domain;
using Portal.Web.Infrastructure.Auth;
using Portal.Web.Infrastructure.Mediator;

namespace Portal.Web.Features.Circulars;

[Route("circulars")]
public sealed class CircularsController(IMediator mediator) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index([FromQuery] Index.Query query, CancellationToken ct)
    {
        query.Reader = User;
        return View(await mediator.Send(query, ct));
    }

    [HttpGet("{id:guid}")]
    public async Task<IActionResult> Details(Guid id, CancellationToken ct) =>
        View(await mediator.Send(new Details.Query(id, User), ct));

    [Authorize(Roles = Roles.CircularAuthors)]
    [HttpGet("new")]
    public IActionResult New() => View(new Draft.Command());

    [Authorize(Roles = Roles.CircularAuthors)]
    [HttpPost("new")]
    public async Task<IActionResult> New(Draft.Command command, CancellationToken ct)
    {
        command.AuthorId = User.UserId();
        var id = await mediator.Send(command, ct);
        TempData["Notice"] = "Draft saved.";
        return RedirectToAction(nameof(Details), new { id });
    }

    [Authorize(Roles = Roles.CircularAuthors)]
    [HttpGet("{id:guid}/edit")]
    public async Task<IActionResult> Edit(Guid id, CancellationToken ct) =>
        View(await mediator.Send(new Edit.Query(id), ct));

    [Authorize(Roles = Roles.CircularAuthors)]
    [HttpPost("{id:guid}/edit")]
    public async Task<IActionResult> Edit(Guid id, Edit.Command command, CancellationToken ct)
    {
        command.Id = id;
        command.EditorId = User.UserId();
        await mediator.Send(command, ct);
        TempData["Notice"] = "Draft updated.";
        return RedirectToAction(nameof(Details), new { id });
    }
}
