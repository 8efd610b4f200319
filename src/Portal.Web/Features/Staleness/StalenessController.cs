using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Portal.Web.Domain;
using Portal.Web.Infrastructure.Localization;

namespace Portal.Web.Features.Staleness;

/// <summary>Stale circulars: the list for officers, approvers and auditors, and the pre-filled amendment for a verified firmware fix.</summary>
[Authorize(Roles = StaleAccess.Roles)]
public sealed class StalenessController(IMediator mediator, IStringLocalizer<Text> t) : Controller
{
    [HttpGet("circulars/stale")]
    public async Task<IActionResult> Index([FromQuery] StaleList.Query query, CancellationToken ct) => View(await mediator.Send(query, ct));

    [Authorize(Roles = Roles.CircularAuthors)]
    [HttpPost("circulars/{id:guid}/firmware-amendment")]
    public async Task<IActionResult> FirmwareAmendment(Guid id, FirmwareAmendment.Command command, CancellationToken ct)
    {
        command.Id = id;
        await mediator.Send(command, ct);
        TempData["Notice"] = t["Amendment drafted: the rule now covers only firmware below the fixed version. Check the change summary, then submit it for approval."].Value;
        return Redirect($"/circulars/{id}");
    }
}
