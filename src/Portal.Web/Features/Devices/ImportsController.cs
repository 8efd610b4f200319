using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Portal.Web.Domain;
using Portal.Web.Infrastructure.Auth;
using Portal.Web.Infrastructure.Web;
using Mediator;

namespace Portal.Web.Features.Devices;

/// <summary>`/devices/import`: MDM exports, uploaded, mapped, previewed and imported by security officers.</summary>
[Authorize(Roles = Roles.SecurityOfficer)]
[Route("devices/import")]
[ControllerName("Devices")]
public sealed class ImportsController(IMediator mediator) : Controller
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

    [HttpGet("{id:guid}")]
    public async Task<IActionResult> Preview(Guid id, CancellationToken ct) => View(await mediator.Send(new Preview.Query(id), ct));

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
        var import = await mediator.Send(new Confirm.Command(id), ct);
        TempData["Notice"] = $"Imported: {import.Inserted} new, {import.Updated} updated, {import.Unchanged} unchanged, {import.Rejections.Count} refused.";
        return Redirect($"/devices/import/{id}");
    }
}
