using Portal.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Portal.Web.Domain;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;

namespace Portal.Web.Features.FamilyMembers;

/// <summary>
/// `/family-members` is the signed-in staff member's own family; `/staff/{id}/family-members` lets an
/// administrator register a family for someone without an account.
/// </summary>
public sealed class FamilyMembersController(IMediator mediator) : Controller
{
    [HttpGet("family-members")]
    public async Task<IActionResult> Index(CancellationToken ct) => View(await mediator.Send(new List.Query(null), ct));

    [Authorize(Roles = Roles.Administrator)]
    [HttpGet("staff/{staffMemberId:guid}/family-members")]
    public async Task<IActionResult> ForStaff(Guid staffMemberId, CancellationToken ct) =>
        View(nameof(Index), await mediator.Send(new List.Query(staffMemberId), ct));

    [HttpPost("family-members")]
    [HttpPost("staff/{staffMemberId:guid}/family-members")]
    public async Task<IActionResult> Add(Guid? staffMemberId, Add.Command command, CancellationToken ct)
    {
        command.StaffMemberId = staffMemberId;
        await mediator.Send(command, ct);
        this.Notice("{0} added.", command.FullName);
        return Redirect(Back(staffMemberId));
    }

    [HttpGet("family-members/{id:guid}")]
    [HttpGet("staff/{staffMemberId:guid}/family-members/{id:guid}")]
    public async Task<IActionResult> Change(Guid? staffMemberId, Guid id, CancellationToken ct) =>
        View(await mediator.Send(new Change.Query(staffMemberId, id), ct));

    [HttpPost("family-members/{id:guid}")]
    [HttpPost("staff/{staffMemberId:guid}/family-members/{id:guid}")]
    public async Task<IActionResult> Change(Guid? staffMemberId, Guid id, Change.Command command, CancellationToken ct)
    {
        command.Id = id;
        command.StaffMemberId = staffMemberId;
        await mediator.Send(command, ct);
        TempData["Notice"] = "Saved.";
        return Redirect(Back(staffMemberId));
    }

    [HttpPost("family-members/{id:guid}/remove")]
    [HttpPost("staff/{staffMemberId:guid}/family-members/{id:guid}/remove")]
    public async Task<IActionResult> Remove(Guid? staffMemberId, Guid id, CancellationToken ct)
    {
        await mediator.Send(new Remove.Command(staffMemberId, id), ct);
        TempData["Notice"] = "Removed.";
        return Redirect(Back(staffMemberId));
    }

    private static string Back(Guid? staffMemberId) => staffMemberId is { } id ? $"/staff/{id}/family-members" : "/family-members";
}
