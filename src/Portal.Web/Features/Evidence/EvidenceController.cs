using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Mediator;
using Portal.Web.Domain;
using Portal.Web.Infrastructure.Auth;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Storage;
using Portal.Web.Infrastructure.Web;

namespace Portal.Web.Features.Evidence;

/// <summary>
/// Lab evidence of a circular: recording it, its files and findings, and reading and downloading it.
/// Every form on an evidence page carries the page's name (ActionName "Show") so a refusal re-renders that page.
/// </summary>
[Route("circulars/{id:guid}/evidence")]
public sealed class EvidenceController(IMediator mediator, ContentStore store, IOptions<EvidenceOptions> options) : Controller
{
    [Authorize(Roles = Roles.CircularAuthors)]
    [HttpGet("new")]
    public IActionResult New(Guid id) => View(new Record.Command { CircularId = id });

    [Authorize(Roles = Roles.CircularAuthors)]
    [HttpPost("new")]
    public async Task<IActionResult> New(Guid id, Record.Command command, CancellationToken ct)
    {
        command.CircularId = id;
        var evidenceId = await mediator.Send(command, ct);
        TempData["Notice"] = "Evidence recorded: add its files and findings.";
        return Redirect($"/circulars/{id}/evidence/{evidenceId}");
    }

    [HttpGet("{evidenceId:guid}")]
    public async Task<IActionResult> Show(Guid id, Guid evidenceId, CancellationToken ct)
    {
        await mediator.Send(new RecordView.Command(id, evidenceId), ct);
        return View((EvidenceChange?)null);
    }

    [Authorize(Roles = Roles.CircularAuthors)]
    [ActionName(nameof(Show))]
    [HttpPost("{evidenceId:guid}/files")]
    [IgnoreAntiforgeryToken, DisableFormValueModelBinding, DisableRequestSizeLimit]
    public async Task<IActionResult> Upload(Guid id, Guid evidenceId, CancellationToken ct)
    {
        using var upload = await HttpContext.ReceiveAsync(store, "File", options.Value.MaxFileBytes, ct);
        if (upload is null)
            return BadRequest();
        var name = await mediator.Send(new AttachFile.Command
        {
            CircularId = id,
            EvidenceId = evidenceId,
            Version = uint.TryParse(upload.Fields.GetValueOrDefault("Version"), out var version) ? version : 0,
            FileName = upload.FileName,
            File = upload.File,
        }, ct);
        this.Notice("File “{0}” stored ({1}, {2}).", name, ContentStore.Describe(upload.File.Length), Notices.Translated(upload.File.Type.Description));
        return Redirect($"/circulars/{id}/evidence/{evidenceId}");
    }

    [HttpGet("{evidenceId:guid}/files/{fileId:guid}")]
    public async Task<IActionResult> Download(Guid id, Guid evidenceId, Guid fileId, CancellationToken ct)
    {
        var file = await mediator.Send(new Download.Command(id, evidenceId, fileId), ct);
        // Each download is a custody entry: never served from a cache.
        Response.Headers.CacheControl = "private, no-store";
        return File(store.OpenRead(file.Sha256), file.ContentType, file.FileName);
    }

    [Authorize(Roles = Roles.CircularAuthors)]
    [ActionName(nameof(Show))]
    [HttpPost("{evidenceId:guid}/files/{fileId:guid}/remove")]
    public Task<IActionResult> RemoveFile(Guid id, Guid evidenceId, Guid fileId, RemoveFile.Command command, CancellationToken ct)
    {
        command.FileId = fileId;
        return Change(id, evidenceId, command, "File removed.", ct);
    }

    [Authorize(Roles = Roles.CircularAuthors)]
    [ActionName(nameof(Show))]
    [HttpPost("{evidenceId:guid}/findings")]
    public Task<IActionResult> AddFinding(Guid id, Guid evidenceId, AddFinding.Command command, CancellationToken ct) =>
        Change(id, evidenceId, command, "Finding added.", ct);

    [Authorize(Roles = Roles.CircularAuthors)]
    [ActionName(nameof(Show))]
    [HttpPost("{evidenceId:guid}/findings/{findingId:guid}/remove")]
    public Task<IActionResult> RemoveFinding(Guid id, Guid evidenceId, Guid findingId, RemoveFinding.Command command, CancellationToken ct)
    {
        command.FindingId = findingId;
        return Change(id, evidenceId, command, "Finding removed.", ct);
    }

    [Authorize(Roles = Roles.CircularAuthors)]
    [ActionName(nameof(Show))]
    [HttpPost("{evidenceId:guid}/supersede")]
    public Task<IActionResult> Supersede(Guid id, Guid evidenceId, Supersede.Command command, CancellationToken ct) =>
        Change(id, evidenceId, command, "Evidence marked superseded.", ct);

    [Authorize(Roles = Roles.CircularAuthors)]
    [ActionName(nameof(Show))]
    [HttpPost("{evidenceId:guid}/sharing")]
    public Task<IActionResult> Share(Guid id, Guid evidenceId, Share.Command command, CancellationToken ct) =>
        Change(id, evidenceId, command, "Sharing with vendors saved.", ct);

    private async Task<IActionResult> Change<TCommand>(Guid id, Guid evidenceId, TCommand command, string notice, CancellationToken ct)
        where TCommand : EvidenceChange, ICommand<Done>
    {
        command.CircularId = id;
        command.EvidenceId = evidenceId;
        await mediator.Send(command, ct);
        TempData["Notice"] = notice;
        return Redirect($"/circulars/{id}/evidence/{evidenceId}");
    }
}
