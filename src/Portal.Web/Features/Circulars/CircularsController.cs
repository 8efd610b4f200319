using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Portal.Web.Domain;
using Portal.Web.Infrastructure.Auth;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;

namespace Portal.Web.Features.Circulars;

[Route("circulars")]
public sealed class CircularsController(IMediator mediator) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index([FromQuery] Index.Query query, CancellationToken ct)
    {
        return View(await mediator.Send(query, ct));
    }

    [HttpGet("{id:guid}")]
    public async Task<IActionResult> Details(Guid id, CancellationToken ct) =>
        View(await mediator.Send(new Details.Query(id), ct));

    [Authorize(Roles = Roles.CircularAuthors)]
    [HttpGet("new")]
    public IActionResult New() => View(new Draft.Command());

    [Authorize(Roles = Roles.CircularAuthors)]
    [HttpPost("new")]
    public async Task<IActionResult> New(Draft.Command command, CancellationToken ct)
    {
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
        await mediator.Send(command, ct);
        TempData["Notice"] = "Draft updated.";
        return RedirectToAction(nameof(Details), new { id });
    }

    [Authorize(Roles = Roles.CircularAuthors)]
    [HttpPost("{id:guid}/submit")]
    public Task<IActionResult> Submit(Guid id, Submit.Command command, CancellationToken ct) =>
        Transition(id, command, "Submitted for approval.", ct);

    [Authorize(Roles = Roles.Approver)]
    [HttpPost("{id:guid}/approve")]
    public Task<IActionResult> Approve(Guid id, Approve.Command command, CancellationToken ct) =>
        Transition(id, command, command.PublishAt is null ? "Approved and published." : "Approved; publication is scheduled.", ct);

    [Authorize(Roles = Roles.Approver)]
    [HttpPost("{id:guid}/return")]
    public Task<IActionResult> Return(Guid id, Return.Command command, CancellationToken ct) =>
        Transition(id, command, "Returned to the author.", ct);

    [Authorize(Roles = Roles.CircularAuthors)]
    [HttpPost("{id:guid}/amend")]
    public Task<IActionResult> Amend(Guid id, Amend.Command command, CancellationToken ct) =>
        Transition(id, command, "Amendment started: readers keep seeing the published revision until it is approved.", ct);

    [Authorize(Roles = Roles.CircularAuthors)]
    [HttpPost("{id:guid}/withdraw")]
    public Task<IActionResult> Withdraw(Guid id, Withdraw.Command command, CancellationToken ct) =>
        Transition(id, command, "Circular withdrawn.", ct);

    [Authorize(Roles = Roles.CircularAuthors)]
    [HttpPost("{id:guid}/supersede")]
    public Task<IActionResult> Supersede(Guid id, Supersede.Command command, CancellationToken ct) =>
        Transition(id, command, "Circular marked as superseded.", ct);

    private async Task<IActionResult> Transition<TCommand>(Guid id, TCommand command, string notice, CancellationToken ct)
        where TCommand : CircularTransition, ICommand<Done>
    {
        command.Id = id;
        await mediator.Send(command, ct);
        TempData["Notice"] = notice;
        return RedirectToAction(nameof(Details), new { id });
    }
}
