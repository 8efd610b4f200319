using Microsoft.AspNetCore.Mvc;
using Portal.Web.Infrastructure.Auth;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;

namespace Portal.Web.Features.Inbox;

[Route("inbox")]
public sealed class InboxController(IMediator mediator) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(int page = 1, CancellationToken ct = default) =>
        View(await mediator.Send(new Inbox.Query(page), ct));

    [HttpGet("{id:long}")]
    public async Task<IActionResult> Open(long id, CancellationToken ct) =>
        LocalRedirect(await mediator.Send(new Open.Command(id), ct));
}

public sealed class InboxLinkViewComponent(IMediator mediator) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync()
    {
        var unread = await mediator.Send(new UnreadCount.Query());
        return View("~/Features/Inbox/InboxLink.cshtml", unread);
    }
}
