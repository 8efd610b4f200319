using Portal.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Portal.Web.Domain;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;

namespace Portal.Web.Features.Admin;

[Authorize(Roles = Roles.Administrator)]
[Route("admin")]
public sealed class AdminController(IMediator mediator) : Controller
{
    [HttpGet("users")]
    public async Task<IActionResult> Users([FromQuery] UserList.Query query, CancellationToken ct) => View(await mediator.Send(query, ct));

    [HttpGet("users/new")]
    public IActionResult NewUser() => View(new CreateUser.Command());

    [HttpPost("users/new")]
    public async Task<IActionResult> NewUser(CreateUser.Command command, CancellationToken ct)
    {
        await mediator.Send(command, ct);
        this.Notice("Account for {0} created.", command.Email);
        return RedirectToAction(nameof(Users));
    }

    [HttpGet("users/{id:guid}")]
    public async Task<IActionResult> EditUser(Guid id, CancellationToken ct) => View(await mediator.Send(new EditUser.Query(id), ct));

    [HttpPost("users/{id:guid}")]
    public async Task<IActionResult> EditUser(Guid id, EditUser.Command command, CancellationToken ct)
    {
        command.Id = id;
        await mediator.Send(command, ct);
        TempData["Notice"] = "Account updated.";
        return RedirectToAction(nameof(Users));
    }

    [HttpGet("units")]
    public async Task<IActionResult> Units(CancellationToken ct) => View(await mediator.Send(new UnitTree.Query(), ct));

    [HttpGet("units/new")]
    public IActionResult NewUnit(Guid? parentId) => View(new CreateUnit.Command { ParentId = parentId });

    [HttpPost("units/new")]
    public async Task<IActionResult> NewUnit(CreateUnit.Command command, CancellationToken ct)
    {
        await mediator.Send(command, ct);
        this.Notice("Unit {0} created.", command.Name);
        return RedirectToAction(nameof(Units));
    }

    [HttpGet("units/{id:guid}")]
    public async Task<IActionResult> EditUnit(Guid id, CancellationToken ct) => View(await mediator.Send(new EditUnit.Query(id), ct));

    [HttpPost("units/{id:guid}")]
    public async Task<IActionResult> EditUnit(Guid id, EditUnit.Command command, CancellationToken ct)
    {
        command.Id = id;
        await mediator.Send(command, ct);
        TempData["Notice"] = "Unit updated.";
        return RedirectToAction(nameof(Units));
    }

    [HttpGet("vendors")]
    public async Task<IActionResult> Vendors(CancellationToken ct) => View(await mediator.Send(new VendorList.Query(), ct));

    [HttpGet("vendors/new")]
    public IActionResult NewVendor() => View(new CreateVendor.Command());

    [HttpPost("vendors/new")]
    public async Task<IActionResult> NewVendor(CreateVendor.Command command, CancellationToken ct)
    {
        await mediator.Send(command, ct);
        this.Notice("Vendor organisation {0} created.", command.Name);
        return RedirectToAction(nameof(Vendors));
    }
}
