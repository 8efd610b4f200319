using Portal.Web.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Portal.Web.Domain;
using Portal.Web.Infrastructure.Auth;

namespace Portal.Web.Features.ApiClients;

[Authorize(Roles = Roles.ApiClientManagers)]
[Route("admin/api-clients")]
public sealed class ApiClientsController(IMediator mediator, ICurrentUser user) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct) =>
        View(await mediator.Send(new ClientList.Query(), ct));

    [HttpGet("new")]
    public IActionResult New() => View(new RegisterClient.Command());

    [HttpPost("new")]
    public async Task<IActionResult> New(RegisterClient.Command command, CancellationToken ct)
    {
        // A vendor organisation's administrator registers for their own organisation, whatever was posted.
        var manager = ClientManager.Of(user);
        if (!manager.IsAdministrator)
            command.VendorOrganisationId = manager.VendorOrganisationId;
        return Secret(await mediator.Send(command, ct));
    }

    [HttpPost("{id:guid}/rotate")]
    public async Task<IActionResult> Rotate(Guid id, CancellationToken ct) =>
        Secret(await mediator.Send(new RotateSecret.Command(id), ct));

    [HttpPost("{id:guid}/revoke")]
    public async Task<IActionResult> Revoke(Guid id, CancellationToken ct)
    {
        var name = await mediator.Send(new RevokeClient.Command(id), ct);
        this.Notice("{0} is revoked: its secret and every token it holds no longer work.", name);
        return RedirectToAction(nameof(Index));
    }

    /// <summary>Shown on the answer to the post itself, never stored for a later page: the secret exists in clear only here.</summary>
    private ViewResult Secret(IssuedSecret secret)
    {
        Response.NeverCached();
        return View("Secret", secret);
    }
}
