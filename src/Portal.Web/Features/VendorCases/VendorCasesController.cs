using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Portal.Web.Domain;
using Portal.Web.Features.Evidence;
using Portal.Web.Infrastructure.Storage;
using Portal.Web.Infrastructure.Web;

namespace Portal.Web.Features.VendorCases;

/// <summary>
/// Vendor cases: vendors see their own organisation's, officers, approvers and auditors all. The vendor states,
/// claims, attaches files and writes; officers review, link the lab's re-test, verify and answer. Each form's refusal
/// re-renders that form alone (its ActionName names its view), with what was typed.
/// </summary>
[Authorize(Roles = Roles.Vendor + "," + Roles.SecurityOfficer + "," + Roles.Approver + "," + Roles.Auditor)]
[Route("vendor-cases")]
public sealed class VendorCasesController(IMediator mediator, ContentStore store, IOptions<EvidenceOptions> options) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index([FromQuery] CaseList.Query query, CancellationToken ct) => View(new CaseListPage(query, await mediator.Send(query, ct)));

    [HttpGet("{id:guid}")]
    public async Task<IActionResult> Case(Guid id, CancellationToken ct)
    {
        var vendorCase = await mediator.Send(new OpenCase.Command(id), ct);
        return View(new CasePage(vendorCase, await mediator.Send(new CaseActivity.Query(vendorCase.Id), ct)));
    }

    [Authorize(Roles = Roles.Vendor)]
    [ActionName("Status")]
    [HttpPost("{id:guid}/status")]
    public async Task<IActionResult> SetStatus(Guid id, SetModelStatus.Command command, CancellationToken ct)
    {
        command.CaseId = id;
        await mediator.Send(command, ct);
        TempData["Notice"] = "Status saved.";
        return Redirect($"/vendor-cases/{id}");
    }

    [Authorize(Roles = Roles.Vendor)]
    [ActionName("Statement")]
    [HttpPost("{id:guid}/statements")]
    public async Task<IActionResult> PostStatement(Guid id, PostStatement.Command command, CancellationToken ct)
    {
        command.CaseId = id;
        await mediator.Send(command, ct);
        TempData["Notice"] = "Statement posted.";
        return Redirect($"/vendor-cases/{id}#statements-title");
    }

    [Authorize(Roles = Roles.Vendor)]
    [ActionName("Claim")]
    [HttpPost("{id:guid}/claims")]
    public async Task<IActionResult> SubmitClaim(Guid id, SubmitClaim.Command command, CancellationToken ct)
    {
        command.CaseId = id;
        var claimId = await mediator.Send(command, ct);
        TempData["Notice"] = "Claim submitted: the security officers have been told. Attach your files to it below.";
        return Redirect($"/vendor-cases/{id}#claim-{claimId}");
    }

    [Authorize(Roles = Roles.Vendor)]
    [ActionName("ClaimFile")]
    [HttpPost("{id:guid}/claims/{claimId:guid}/files")]
    [IgnoreAntiforgeryToken, DisableFormValueModelBinding, DisableRequestSizeLimit]
    public async Task<IActionResult> UploadClaimFile(Guid id, Guid claimId, CancellationToken ct)
    {
        using var upload = await HttpContext.ReceiveAsync(store, "File", options.Value.MaxFileBytes, ct);
        if (upload is null)
            return BadRequest();
        var name = await mediator.Send(new AttachClaimFile.Command(id, claimId, upload.FileName, upload.File), ct);
        this.Notice("File “{0}” attached ({1}, {2}).", name, ContentStore.Describe(upload.File.Length), Notices.Translated(upload.File.Type.Description));
        return Redirect($"/vendor-cases/{id}#claim-{claimId}");
    }

    [Authorize(Roles = Roles.Vendor + "," + Roles.SecurityOfficer)]
    [HttpGet("{id:guid}/claims/{claimId:guid}/files/{fileId:guid}")]
    public async Task<IActionResult> DownloadClaimFile(Guid id, Guid claimId, Guid fileId, CancellationToken ct)
    {
        var file = await mediator.Send(new DownloadClaimFile.Command(id, claimId, fileId), ct);
        Response.Headers.CacheControl = "private, no-store";
        return File(store.OpenRead(file.Sha256), file.ContentType, file.FileName);
    }

    [Authorize(Roles = Roles.Vendor)]
    [ActionName("Relocation")]
    [HttpPost("{id:guid}/claims/{claimId:guid}/completed")]
    public async Task<IActionResult> CompleteRelocation(Guid id, Guid claimId, CompleteRelocation.Command command, CancellationToken ct)
    {
        command.CaseId = id;
        command.ClaimId = claimId;
        await mediator.Send(command, ct);
        TempData["Notice"] = "Relocation recorded as completed.";
        return Redirect($"/vendor-cases/{id}#claim-{claimId}");
    }

    [Authorize(Roles = Roles.Vendor + "," + Roles.SecurityOfficer)]
    [ActionName("Message")]
    [HttpPost("{id:guid}/messages")]
    public async Task<IActionResult> PostMessage(Guid id, PostMessage.Command command, CancellationToken ct)
    {
        command.CaseId = id;
        await mediator.Send(command, ct);
        TempData["Notice"] = "Message sent.";
        return Redirect($"/vendor-cases/{id}#messages-title");
    }

    [Authorize(Roles = Roles.SecurityOfficer)]
    [ActionName("Review")]
    [HttpPost("{id:guid}/claims/{claimId:guid}/review")]
    public async Task<IActionResult> Review(Guid id, Guid claimId, ReviewClaim.Command command, CancellationToken ct)
    {
        command.CaseId = id;
        command.ClaimId = claimId;
        await mediator.Send(command, ct);
        TempData["Notice"] = "Review saved: the vendor has been told.";
        return Redirect($"/vendor-cases/{id}#claim-{claimId}");
    }

    [Authorize(Roles = Roles.SecurityOfficer)]
    [ActionName("Retest")]
    [HttpPost("{id:guid}/claims/{claimId:guid}/retest")]
    public async Task<IActionResult> Retest(Guid id, Guid claimId, RecordRetest.Command command, CancellationToken ct)
    {
        command.CaseId = id;
        command.ClaimId = claimId;
        await mediator.Send(command, ct);
        TempData["Notice"] = "Re-test recorded: a second officer verifies the fix.";
        return Redirect($"/vendor-cases/{id}#claim-{claimId}");
    }

    [Authorize(Roles = Roles.SecurityOfficer)]
    [ActionName("Verify")]
    [HttpPost("{id:guid}/claims/{claimId:guid}/verify")]
    public async Task<IActionResult> Verify(Guid id, Guid claimId, VerifyFix.Command command, CancellationToken ct)
    {
        command.CaseId = id;
        command.ClaimId = claimId;
        await mediator.Send(command, ct);
        TempData["Notice"] = "Fix verified: the model is now marked fix verified.";
        return Redirect($"/vendor-cases/{id}#claim-{claimId}");
    }
}

public sealed record CaseListPage(CaseList.Query Filter, IReadOnlyList<CaseList.Row> Rows);
