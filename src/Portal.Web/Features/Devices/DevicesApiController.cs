using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Portal.Web.Infrastructure.Auth;
using Mediator;

namespace Portal.Web.Features.Devices;

/// <summary>
/// The lookup API for MDM systems: `GET /api/v1/devices/check?imei=…` (or `?tac=…`, optionally `&amp;firmware=…`)
/// and a batch `POST /api/v1/devices/check` of up to 1,000. Refusals are problem details.
/// </summary>
[ApiController]
[Route("api/v1/devices")]
[Authorize(Policy = ApiScopes.DevicesCheck)]
public sealed class DevicesApiController(IMediator mediator) : ControllerBase
{
    [HttpGet("check")]
    public async Task<Check.Answer> Check([FromQuery] string? imei, [FromQuery] string? tac, [FromQuery] string? firmware, CancellationToken ct) =>
        (await mediator.Send(new Check.Query([new Check.Item { Imei = imei, Tac = tac, Firmware = firmware }]), ct))[0];

    public sealed record Batch(IReadOnlyList<Check.Item>? Devices);

    [HttpPost("check")]
    public async Task<IReadOnlyList<Check.Answer>> CheckMany([FromBody] Batch batch, CancellationToken ct) =>
        await mediator.Send(new Check.Query(batch.Devices ?? []), ct);
}
