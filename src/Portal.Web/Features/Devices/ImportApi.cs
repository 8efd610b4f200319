using FluentValidation;
using FluentValidation.Results;
using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Infrastructure.Auth;
using Portal.Web.Infrastructure.Web;

namespace Portal.Web.Features.Devices;

/// <summary>
/// An MDM system sends its export through the API (scope devices.import, docs/decisions/0053): the same file checks
/// as the page's upload and preview (encoding, header, required columns, row limit), the columns guessed from the
/// header as on the page or named by the caller, then the import is queued for the same worker
/// (<see cref="RunImport"/>) at once: a machine has no preview to look at. A file the page would refuse as a whole is
/// refused here with the same sentence (problem details, 400) and nothing is kept.
/// </summary>
public static class ApiImport
{
    public sealed record Command : ICommand<Guid>
    {
        public IFormFile? File { get; init; }

        /// <summary>Optional: field → the file's column header, for the fields whose header the portal does not recognise.</summary>
        public Dictionary<string, string?> Mapping { get; init; } = [];
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(IOptions<DevicesOptions> options)
        {
            var max = options.Value.ImportMaxMegabytes;
            RuleFor(c => c.File).NotNull().WithMessage("Choose the CSV file exported from your MDM system.");
            RuleFor(c => c.File!.Length).GreaterThan(0).WithMessage("The file is empty.")
                .LessThanOrEqualTo(max * 1024L * 1024L).WithMessage(c => $"The file is {c.File!.Length / (1024.0 * 1024.0):0.#} MB; the limit is {max} MB. Split the export into smaller files.")
                .OverridePropertyName(nameof(Command.File)).When(c => c.File is not null);
            RuleFor(c => c.Mapping.Count).LessThanOrEqualTo(ImportFields.All.Count).WithMessage("Name each field's column once.")
                .OverridePropertyName(nameof(Command.Mapping));
        }
    }

    internal sealed class Handler(ICurrentUser user, PortalDbContext db, TimeProvider clock, IOptions<DevicesOptions> options) : ICommandHandler<Command, Guid>
    {
        public async ValueTask<Guid> Handle(Command request, CancellationToken ct)
        {
            using var buffer = new MemoryStream();
            await request.File!.CopyToAsync(buffer, ct);
            var content = buffer.ToArray();
            var text = ImportFile.Text(content, out var problem);
            var headers = text is null ? [] : ImportFile.Headers(text, out problem);
            if (problem is not null)
                throw new ValidationException([new ValidationFailure(nameof(Command.File), problem)]);
            var mapping = ImportFields.Guess(headers);
            foreach (var (field, _, _, _) in ImportFields.All)
                if (request.Mapping.TryGetValue(field, out var header) && !string.IsNullOrWhiteSpace(header))
                    mapping[field] = headers.Contains(header) ? header
                        : throw new ValidationException([new ValidationFailure(nameof(Command.Mapping), "The file has no column of that name.")]);
            if (ImportFile.MappingProblem(mapping, headers) is { } mappingProblem)
                throw new ValidationException([new ValidationFailure(nameof(Command.Mapping), mappingProblem)]);
            var (_, _, fileProblem) = ImportFile.Rows(text!, mapping, await DeviceCatalogue.LoadAsync(db, ct), options.Value.ImportMaxRows);
            if (fileProblem is not null)
                throw new ValidationException([new ValidationFailure(nameof(Command.File), fileProblem)]);

            var now = clock.GetUtcNow();
            var import = DeviceImport.Upload(user.Id, Path.GetFileName(request.File.FileName), content, mapping, now, byClient: user.IsMachineClient);
            import.Queue(now);
            db.DeviceImports.Add(import);
            db.AuditEvents.Add(AuditEvent.Record(nameof(DeviceImport), import.Id, "ImportQueued", user.IsMachineClient ? null : user.Id, now,
                data: System.Text.Json.JsonSerializer.Serialize(new { file = import.FileName, client = user.IsMachineClient ? user.Principal.FindFirst(PortalClaimTypes.Client)?.Value : null })));
            await db.SaveChangesAsync(ct);
            return import.Id;
        }
    }
}

/// <summary>
/// Where an import stands, for the API: its state, how far the worker got, and once done the counts and every refused
/// row with its reason (the IMEI's last four digits only). A machine client sees only the imports it sent; officers
/// and administrators (cookie) see every import.
/// </summary>
public static class ApiImportStatus
{
    public sealed record Query(Guid Id) : IRequest<Status>;

    public sealed record Status(Guid Id, string FileName, DeviceImportState State, DateTimeOffset UploadedAt, DateTimeOffset? StartedAt,
        DateTimeOffset? CompletedAt, int Rows, int RowsDone, int RowsRejected, int Inserted, int Updated, int Unchanged, string? Failure,
        IReadOnlyList<ImportRejection> Rejections);

    internal sealed class Handler(ICurrentUser user, PortalDbContext db) : IRequestHandler<Query, Status>
    {
        public async ValueTask<Status> Handle(Query request, CancellationToken ct)
        {
            var imports = db.DeviceImports.AsNoTracking().Where(i => i.Id == request.Id);
            if (user.IsMachineClient)
            {
                var client = user.Id;
                imports = imports.Where(i => i.UploadedByClientId == client);
            }
            return await imports.Select(i => new Status(i.Id, i.FileName, i.State, i.UploadedAt, i.StartedAt, i.CompletedAt, i.Rows, i.RowsDone,
                    i.RowsRejected, i.Inserted, i.Updated, i.Unchanged, i.Failure, i.Rejections)).FirstOrDefaultAsync(ct)
                ?? throw new NotFoundException("The import");
        }
    }
}

/// <summary>
/// `POST /api/v1/devices/imports` (multipart: <c>file</c>, optionally <c>mapping[Imei]=…</c>) answers 202 with the
/// import's id and its status address; `GET /api/v1/devices/imports/{id}` is that status. Refusals are problem details.
/// </summary>
[ApiController]
[Route("api/v1/devices/imports")]
[Authorize(Policy = ApiScopes.DevicesImport)]
public sealed class DeviceImportsApiController(IMediator mediator) : ControllerBase
{
    /// <summary>Above the configured file limit, so a file that is too large is refused with a sentence rather than by the server.</summary>
    private const long RequestLimit = 600L * 1024 * 1024;

    public sealed record Queued(Guid Id, DeviceImportState State, string Status);

    [HttpPost("")]
    [RequestSizeLimit(RequestLimit)]
    [RequestFormLimits(MultipartBodyLengthLimit = RequestLimit)]
    [ProducesResponseType<Queued>(StatusCodes.Status202Accepted)]
    public async Task<IActionResult> Import([FromForm] ApiImport.Command command, CancellationToken ct)
    {
        var id = await mediator.Send(command, ct);
        var status = $"/api/v1/devices/imports/{id}";
        return AcceptedAtAction(nameof(Status), new { id }, new Queued(id, DeviceImportState.Queued, status));
    }

    [HttpGet("{id:guid}")]
    public async Task<ApiImportStatus.Status> Status(Guid id, CancellationToken ct) => await mediator.Send(new ApiImportStatus.Query(id), ct);
}
