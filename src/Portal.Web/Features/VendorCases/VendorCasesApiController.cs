using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Portal.Web.Infrastructure.Auth;

namespace Portal.Web.Features.VendorCases;

/// <summary>
/// The vendor API (scope <c>vendor.cases</c>): a vendor's system lists its organisation's cases, reads one with its
/// models' statuses, posts a statement, sets a model's status, submits a remediation claim and reads and writes the
/// case's message thread: the same use cases as
/// the case page, so the same rules and refusals (problem details), and another vendor's case is 404.
/// </summary>
[ApiController]
[Route("api/v1/vendor/cases")]
[Authorize(Policy = ApiScopes.VendorCases)]
// The global bearer-aware antiforgery policy is registered before the global AutoValidateAntiforgeryToken, so at equal
// order the latter is the effective one and a token's POST is refused 400; at controller scope this one wins.
[TypeFilter(typeof(Portal.Web.Infrastructure.Oidc.BearerAwareAntiforgeryPolicy), Order = 1000)]
public sealed class VendorCasesApiController(IMediator mediator) : ControllerBase
{
    [HttpGet("")]
    public async Task<IReadOnlyList<CaseList.Row>> List(CancellationToken ct) => await mediator.Send(new CaseList.Query(), ct);

    [HttpGet("{id:guid}")]
    public async Task<OpenCase.Result> Read(Guid id, CancellationToken ct) => await mediator.Send(new OpenCase.Command(id), ct);

    public sealed record NewId(Guid Id);

    [HttpPost("{id:guid}/statements")]
    public async Task<IActionResult> PostStatement(Guid id, [FromBody] PostStatement.Command command, CancellationToken ct)
    {
        command.CaseId = id;
        return StatusCode(StatusCodes.Status201Created, new NewId(await mediator.Send(command, ct)));
    }

    [HttpPost("{id:guid}/status")]
    public async Task<IActionResult> SetStatus(Guid id, [FromBody] SetModelStatus.Command command, CancellationToken ct)
    {
        command.CaseId = id;
        await mediator.Send(command, ct);
        return NoContent();
    }

    /// <summary>The case's message thread, oldest first (officers' names as the vendor's users see them: "Security unit").</summary>
    [HttpGet("{id:guid}/messages")]
    public async Task<IReadOnlyList<CaseActivity.Message>> Messages(Guid id, CancellationToken ct)
    {
        var vendorCase = await mediator.Send(new OpenCase.Command(id), ct);
        return (await mediator.Send(new CaseActivity.Query(vendorCase.Id), ct)).Messages;
    }

    [HttpPost("{id:guid}/messages")]
    public async Task<IActionResult> PostMessage(Guid id, [FromBody] PostMessage.Command command, CancellationToken ct)
    {
        command.CaseId = id;
        return StatusCode(StatusCodes.Status201Created, new NewId(await mediator.Send(command, ct)));
    }

    [HttpPost("{id:guid}/claims")]
    public async Task<IActionResult> SubmitClaim(Guid id, [FromBody] SubmitClaim.Command command, CancellationToken ct)
    {
        command.CaseId = id;
        return StatusCode(StatusCodes.Status201Created, new NewId(await mediator.Send(command, ct)));
    }
}
