using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Portal.Web.Domain;
using Mediator;
using Portal.Web.Infrastructure.Web;

namespace Portal.Web.Features.Devices;

/// <summary>`/devices`: the signed-in staff member's phones and their family's.</summary>
[Authorize(Roles = Roles.Staff)]
public sealed class DevicesController(IMediator mediator) : Controller
{
    [HttpGet("devices")]
    public async Task<IActionResult> Index(CancellationToken ct) => View(await mediator.Send(new Mine.Query(), ct));

    [HttpPost("devices")]
    public async Task<IActionResult> Register(Register.Command command, CancellationToken ct)
    {
        await mediator.Send(command, ct);
        this.Notice("{0} {1} registered.", command.Manufacturer?.Trim(), command.Model?.Trim());
        return Redirect("/devices");
    }

    [HttpGet("devices/{id:guid}")]
    public async Task<IActionResult> Change(Guid id, CancellationToken ct) => View(await mediator.Send(new Change.Query(id), ct));

    [HttpPost("devices/{id:guid}")]
    public async Task<IActionResult> Change(Guid id, Change.Command command, CancellationToken ct)
    {
        command.Id = id;
        await mediator.Send(command, ct);
        TempData["Notice"] = "Saved.";
        return Redirect("/devices");
    }

    [HttpPost("devices/{id:guid}/remove")]
    public async Task<IActionResult> Remove(Guid id, string? reason, CancellationToken ct)
    {
        await mediator.Send(new Remove.Command(id, reason), ct);
        TempData["Notice"] = "Removed.";
        return Redirect("/devices");
    }
}
