using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Portal.Web.Domain;
using Portal.Web.Infrastructure.Auth;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Web;

namespace Portal.Web.Features.Circulars;

/// <summary>
/// The rules, audience and sources of a circular's working copy, each a page with a list and an add form.
/// Every add and remove of a page carries the name of its page (ActionName) so that a refusal re-renders
/// that page, with what was typed. Named "Circulars" so its views live beside the other circular views.
/// </summary>
[Authorize(Roles = Roles.CircularAuthors)]
[ControllerName("Circulars")]
[Route("circulars/{id:guid}")]
public sealed class CircularPartsController(IMediator mediator) : Controller
{
    [HttpGet("rules")]
    public async Task<IActionResult> Rules(Guid id, CancellationToken ct) => View(await mediator.Send(new AddRule.Query(id), ct));

    [ActionName(nameof(Rules))]
    [HttpPost("rules")]
    public Task<IActionResult> AddRule(Guid id, AddRule.Command command, CancellationToken ct) =>
        Change(id, command, "Rule added.", nameof(Rules), ct);

    [ActionName(nameof(Rules))]
    [HttpPost("rules/{ruleId:guid}/remove")]
    public Task<IActionResult> RemoveRule(Guid id, RemoveRule.Command command, CancellationToken ct) =>
        Change(id, command, "Rule removed.", nameof(Rules), ct);

    [HttpGet("audience")]
    public async Task<IActionResult> Audience(Guid id, CancellationToken ct) => View(await mediator.Send(new AddAudienceUnit.Query(id), ct));

    [ActionName(nameof(Audience))]
    [HttpPost("audience")]
    public Task<IActionResult> AddAudienceUnit(Guid id, AddAudienceUnit.Command command, CancellationToken ct) =>
        Change(id, command, "Unit added to the audience.", nameof(Audience), ct);

    [ActionName(nameof(Audience))]
    [HttpPost("audience/{unitId:guid}/remove")]
    public Task<IActionResult> RemoveAudienceUnit(Guid id, RemoveAudienceUnit.Command command, CancellationToken ct) =>
        Change(id, command, "Unit removed from the audience.", nameof(Audience), ct);

    [HttpGet("sources")]
    public async Task<IActionResult> Sources(Guid id, CancellationToken ct) => View(await mediator.Send(new AddSource.Query(id), ct));

    [ActionName(nameof(Sources))]
    [HttpPost("sources")]
    public Task<IActionResult> AddSource(Guid id, AddSource.Command command, CancellationToken ct) =>
        Change(id, command, "Source added.", nameof(Sources), ct);

    [ActionName(nameof(Sources))]
    [HttpPost("sources/{sourceId:guid}/remove")]
    public Task<IActionResult> RemoveSource(Guid id, RemoveSource.Command command, CancellationToken ct) =>
        Change(id, command, "Source removed.", nameof(Sources), ct);

    private async Task<IActionResult> Change<TCommand>(Guid id, TCommand command, string notice, string page, CancellationToken ct)
        where TCommand : CircularTransition, ICommand<Done>
    {
        command.Id = id;
        await mediator.Send(command, ct);
        TempData["Notice"] = notice;
        return RedirectToAction(page, new { id });
    }
}
