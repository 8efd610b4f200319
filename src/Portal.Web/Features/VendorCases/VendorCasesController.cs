using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Portal.Web.Domain;

namespace Portal.Web.Features.VendorCases;

/// <summary>Vendor cases: vendors see their own organisation's, officers, approvers and auditors all.</summary>
[Authorize(Roles = Roles.Vendor + "," + Roles.SecurityOfficer + "," + Roles.Approver + "," + Roles.Auditor)]
[Route("vendor-cases")]
public sealed class VendorCasesController(IMediator mediator) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct) => View(await mediator.Send(new CaseList.Query(), ct));

    [HttpGet("{id:guid}")]
    public async Task<IActionResult> Case(Guid id, CancellationToken ct) => View(await mediator.Send(new OpenCase.Command(id), ct));

    [Authorize(Roles = Roles.Vendor)]
    [ActionName("Status")]
    [HttpPost("{id:guid}/status")]
    public async Task<IActionResult> SetStatus(Guid id, SetModelStatus.Command command, CancellationToken ct)
    {
        command.CaseId = id;
        await mediator.Send(command, ct);
        TempData["Notice"] = "Status saved.";
        return Redirect($"/vendor-cases/{id}");
    }
}
