using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Portal.Web.Features.Evidence;
using Portal.Web.Infrastructure.Auth;
using Portal.Web.Infrastructure.Storage;
using Portal.Web.Infrastructure.Web;

namespace Portal.Web.Features.VendorCases;

/// <summary>
/// The vendor API (scope <c>vendor.cases</c>): a vendor's system lists its organisation's cases, reads one with its
/// models' statuses, posts a statement, sets a model's status, submits a remediation claim and reads and writes the
/// case's message thread: the same use cases as
/// the case page, so the same rules and refusals (problem details), and another vendor's case is 404. A claim's files
/// are uploaded as on the page: streamed, recognised by content, limited in size.
/// </summary>
[ApiController]
[Route("api/v1/vendor/cases")]
[Authorize(Policy = ApiScopes.VendorCases)]
// The global bearer-aware antiforgery policy is registered before the global AutoValidateAntiforgeryToken, so at equal
// order the latter is the effective one and a token's POST is refused 400; at controller scope this one wins.
[TypeFilter(typeof(Portal.Web.Infrastructure.Oidc.BearerAwareAntiforgeryPolicy), Order = 1000)]
public sealed class VendorCasesApiController(IMediator mediator, ContentStore store, IOptions<EvidenceOptions> options) : ControllerBase
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

    public sealed record AttachedFile(string FileName);

    /// <summary>
    /// A file on the vendor's claim (multipart, field <c>file</c>), streamed into the store like the page's upload;
    /// answers 201 with the name it was saved under. A bearer caller sends no antiforgery token; a signed-in browser
    /// puts the form's token before the file, as on the page.
    /// </summary>
    [HttpPost("{id:guid}/claims/{claimId:guid}/files")]
    [IgnoreAntiforgeryToken, DisableFormValueModelBinding, DisableRequestSizeLimit]
    public async Task<IActionResult> AttachClaimFile(Guid id, Guid claimId, CancellationToken ct)
    {
        using var upload = await HttpContext.ReceiveAsync(store, "file", options.Value.MaxFileBytes, ct, antiforgery: !ApiScopes.HasBearerToken(Request));
        if (upload is null)
            return BadRequest();
        var name = await mediator.Send(new AttachClaimFile.Command(id, claimId, upload.FileName, upload.File), ct);
        return StatusCode(StatusCodes.Status201Created, new AttachedFile(name));
    }
}
