using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Portal.Web.Domain;
using Portal.Web.Infrastructure.Auth;
using Portal.Web.Infrastructure.Csv;
using Portal.Web.Infrastructure.Web;
using Mediator;

namespace Portal.Web.Features.Devices;

/// <summary>`/devices/compliance`: devices across units for officers, auditors and commanders; exemptions.</summary>
[Authorize(Roles = Overview.Viewers)]
[Route("devices/compliance")]
[ControllerName("Devices")]
public sealed class ComplianceController(IMediator mediator) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Compliance([FromQuery] Overview.Filter filter, CancellationToken ct) =>
        View(await mediator.Send(new Overview.Query(filter), ct));

    [HttpGet("devices.csv")]
    public async Task<IActionResult> Export([FromQuery] Overview.Filter filter, CancellationToken ct) =>
        new CsvResult("devices.csv", OverviewExport.Header, await mediator.Send(new OverviewExport.Query(filter), ct));

    [Authorize(Roles = Roles.UnitCommander)]
    [HttpPost("findings/{id:long}/exemption")]
    public async Task<IActionResult> RequestExemption(RequestExemption.Command command, long id, CancellationToken ct)
    {
        command.FindingId = id;
        await mediator.Send(command, ct);
        TempData["Notice"] = "Exemption requested; a security officer decides.";
        return Redirect("/devices/compliance?status=Flagged");
    }

    [Authorize(Roles = Roles.SecurityOfficer)]
    [HttpPost("findings/{id:long}/decision")]
    public async Task<IActionResult> DecideExemption(DecideExemption.Command command, long id, CancellationToken ct)
    {
        command.FindingId = id;
        await mediator.Send(command, ct);
        TempData["Notice"] = command.Approve ? "Exemption approved." : "Exemption refused.";
        return Redirect("/devices/compliance?status=Flagged");
    }
}
