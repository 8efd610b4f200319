using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Portal.Web.Features.Evidence;

/// <summary>The evidence page, loaded here so that a refused form is shown with the page around it and what was typed.</summary>
public sealed class EvidencePageViewComponent(IMediator mediator) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(EvidenceChange? posted)
    {
        var circularId = Guid.Parse(RouteData.Values["id"]?.ToString() ?? "");
        var evidenceId = Guid.Parse(RouteData.Values["evidenceId"]?.ToString() ?? "");
        var page = await mediator.Send(new Show.Query(circularId, evidenceId));
        return View("~/Features/Evidence/EvidencePage.cshtml", new EvidencePage(page, posted));
    }
}

public sealed record EvidencePage(Show.Result Page, EvidenceChange? Posted)
{
    public AddFinding.Command Finding => Posted as AddFinding.Command ?? new AddFinding.Command { Version = Page.Version };
    public Supersede.Command Supersession => Posted as Supersede.Command ?? new Supersede.Command { Version = Page.Version };
}
