using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Portal.Web.Infrastructure.Csv;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;

namespace Portal.Web.Features.Dashboards;

[Authorize(Roles = DashboardAccess.Viewers)]
[Route("circulars/{id:guid}")]
public sealed class DashboardsController(IMediator mediator) : Controller
{
    [HttpGet("acknowledgements")]
    public async Task<IActionResult> Acknowledgements(Guid id, Guid? unit, CancellationToken ct) =>
        View("Progress", await mediator.Send(new Progress.Query(id, unit), ct));

    [HttpGet("acknowledgements.csv")]
    public async Task<IActionResult> AcknowledgementsCsv(Guid id, Guid? unit, CancellationToken ct)
    {
        var export = await mediator.Send(new Export.Query(id, unit), ct);
        return new CsvResult(export.FileName, export.Header, export.Rows);
    }
}
