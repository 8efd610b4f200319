using System.Text;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Portal.Web.Infrastructure.Csv;

namespace Portal.Web.Features.Evidence;

/// <summary>
/// The destinations of a circular for network teams: a host blocklist, a DNS RPZ zone and CSV. Open to
/// whoever may read the circular, without an account for TLP:CLEAR ones (as its CSAF document is), so
/// resolvers and proxies can fetch them unattended.
/// </summary>
[AllowAnonymous]
[Route("circulars/{id:guid}")]
public sealed class DestinationsController(IMediator mediator, TimeProvider clock) : Controller
{
    [HttpGet("destinations.txt")]
    public async Task<IActionResult> Blocklist(Guid id, CancellationToken ct)
    {
        var result = await mediator.Send(new Destinations.Query(id), ct);
        return Text(Destinations.Blocklist(result), "text/plain", result, "blocklist.txt");
    }

    [HttpGet("destinations.rpz")]
    public async Task<IActionResult> Zone(Guid id, CancellationToken ct)
    {
        var result = await mediator.Send(new Destinations.Query(id), ct);
        return Text(Destinations.ResponsePolicyZone(result, clock.GetUtcNow()), "text/dns", result, "rpz.zone");
    }

    [HttpGet("destinations.csv")]
    public async Task<IActionResult> Csv(Guid id, CancellationToken ct)
    {
        var result = await mediator.Send(new Destinations.Query(id), ct);
        return new CsvResult(Name(result, "destinations.csv"), Destinations.CsvHeader, Destinations.CsvRows(result).ToAsyncEnumerable());
    }

    private FileContentResult Text(string text, string type, Destinations.Result result, string suffix) =>
        File(Encoding.UTF8.GetBytes(text), type + "; charset=utf-8", Name(result, suffix));

    private static string Name(Destinations.Result result, string suffix) =>
        Infrastructure.Csv.Csv.FileName((result.ReferenceNumber ?? "draft").Replace('/', '-') + "-" + suffix);
}
