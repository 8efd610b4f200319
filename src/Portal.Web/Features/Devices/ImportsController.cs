using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Portal.Web.Domain;
using Portal.Web.Infrastructure.Auth;
using Portal.Web.Infrastructure.Web;
using Mediator;
using Microsoft.Extensions.Localization;
using Portal.Web.Infrastructure.Localization;

namespace Portal.Web.Features.Devices;

/// <summary>`/devices/import`: MDM exports, uploaded, mapped, previewed and imported by security officers.</summary>
[Authorize(Roles = Roles.SecurityOfficer)]
[Route("devices/import")]
[ControllerName("Devices")]
public sealed class ImportsController(IMediator mediator, IStringLocalizer<Text> text) : Controller
{
    /// <summary>Above the configured file limit, so a file that is too large is refused with a sentence rather than by the server.</summary>
    private const long RequestLimit = 600L * 1024 * 1024;

    [HttpGet("")]
    public async Task<IActionResult> Import(CancellationToken ct) => View(await mediator.Send(new Imports.Query(), ct));

    [HttpPost("")]
    [RequestSizeLimit(RequestLimit)]
    [RequestFormLimits(MultipartBodyLengthLimit = RequestLimit)]
    public async Task<IActionResult> Upload(Upload.Command command, CancellationToken ct)
    {
        var id = await mediator.Send(command, ct);
        return Redirect($"/devices/import/{id}");
    }

    /// <summary>
    /// While the import runs, the page asks the browser to load it again every few seconds (a Refresh header: no
    /// script needed), unless the officer turned that off with <c>?refresh=off</c>.
    /// </summary>
    [HttpGet("{id:guid}")]
    public async Task<IActionResult> Preview(Guid id, [FromQuery] string? refresh, CancellationToken ct)
    {
        var result = await mediator.Send(new Preview.Query(id, refresh != "off"), ct);
        if (result.Working && result.AutoRefresh)
            Response.Headers["Refresh"] = "3";
        return View(result);
    }

    [HttpPost("{id:guid}/mapping")]
    public async Task<IActionResult> Map(Guid id, Map.Command command, CancellationToken ct)
    {
        command.Id = id;
        await mediator.Send(command, ct);
        return Redirect($"/devices/import/{id}");
    }

    [HttpPost("{id:guid}")]
    public async Task<IActionResult> Confirm(Guid id, CancellationToken ct)
    {
        await mediator.Send(new Confirm.Command(id), ct);
        TempData["Notice"] = text["Import started: this page shows its progress."].Value;
        return Redirect($"/devices/import/{id}");
    }
}
