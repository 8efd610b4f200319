using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Portal.Web.Domain;

namespace Portal.Web.Features.VendorMembership;

/// <summary>Joining a vendor organisation: a vendor user asks, the organisation's administrator answers.</summary>
[Route("vendor-membership")]
public sealed class VendorMembershipController(IMediator mediator) : Controller
{
    [Authorize(Roles = Roles.Vendor)]
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct) =>
        View(new MembershipPage(await mediator.Send(new MyMembership.Query(), ct), new AskToJoin.Command()));

    [Authorize(Roles = Roles.Vendor)]
    [ActionName("Ask")]
    [HttpPost("")]
    public async Task<IActionResult> Ask(AskToJoin.Command command, CancellationToken ct)
    {
        await mediator.Send(command, ct);
        TempData["Notice"] = "Request sent: the organisation's administrator answers it.";
        return Redirect("/vendor-membership");
    }

    [Authorize(Roles = Roles.VendorAdministrator)]
    [HttpGet("requests")]
    public async Task<IActionResult> Requests(CancellationToken ct) => View(await mediator.Send(new PendingRequests.Query(), ct));

    [Authorize(Roles = Roles.VendorAdministrator)]
    [ActionName("Decide")]
    [HttpPost("requests/{requestId:guid}")]
    public async Task<IActionResult> Decide(Guid requestId, Decide.Command command, CancellationToken ct)
    {
        command.RequestId = requestId;
        await mediator.Send(command, ct);
        TempData["Notice"] = command.Approve ? "Approved: the person now belongs to your organisation." : "Request refused.";
        return Redirect("/vendor-membership/requests");
    }
}

public sealed record MembershipPage(MyMembership.Result Mine, AskToJoin.Command Form);
