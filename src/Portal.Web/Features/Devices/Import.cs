using FluentValidation;
using FluentValidation.Results;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Web.Data;
using Portal.Web.Domain;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Web;
using Portal.Web.Infrastructure.Auth;

namespace Portal.Web.Features.Devices;

/// <summary>An officer uploads an MDM export; it is kept until imported, with the column mapping guessed from its header.</summary>
public static class Upload
{
    public sealed record Command : ICommand<Guid>
    {
        public IFormFile? File { get; init; }
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
        }
    }

    internal sealed class Handler(ICurrentUser user, PortalDbContext db, TimeProvider clock) : ICommandHandler<Command, Guid>
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
            var import = DeviceImport.Upload(user.Id, Path.GetFileName(request.File.FileName), content, ImportFields.Guess(headers), clock.GetUtcNow());
            db.DeviceImports.Add(import);
            await db.SaveChangesAsync(ct);
            return import.Id;
        }
    }
}

/// <summary>Recent imports, for the upload page.</summary>
public static class Imports
{
    public sealed record Query : IRequest<Result>;

    public sealed record Row(Guid Id, string FileName, DateTimeOffset UploadedAt, DeviceImportState State, int Inserted, int Updated, int Rejected);

    public sealed record Result(IReadOnlyList<Row> Recent);

    internal sealed class Handler(PortalDbContext db) : IRequestHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query request, CancellationToken ct) =>
            new(await db.DeviceImports.AsNoTracking().OrderByDescending(i => i.UploadedAt).Take(20)
                .Select(i => new Row(i.Id, i.FileName, i.UploadedAt, i.State, i.Inserted, i.Updated, i.Rejections.Count)).ToListAsync(ct));
    }
}

/// <summary>
/// The mapping step and the preview: what importing would do with the mapping chosen (new, updated, unchanged
/// devices, and every refused row with its reason), computed by the same staging the import uses, then rolled
/// back. Once imported, the outcome.
/// </summary>
public static class Preview
{
    public const int SampleRows = 10;

    public sealed record Query(Guid Id) : IRequest<Result>;

    public sealed record Result(Guid Id, string FileName, DeviceImportState State, IReadOnlyList<string> Headers, Dictionary<string, string> Mapping,
        string? Problem, int Rows, int New, int Updated, int Unchanged, IReadOnlyList<ImportRejection> Rejections, IReadOnlyList<ImportRow> Sample);

    internal sealed class Handler(PortalDbContext db, DeviceImporter importer, IOptions<DevicesOptions> options) : IRequestHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query request, CancellationToken ct)
        {
            var import = await db.DeviceImports.AsNoTracking().FirstOrDefaultAsync(i => i.Id == request.Id, ct) ?? throw new NotFoundException("The import");
            if (import.State != DeviceImportState.Uploaded)
                return new Result(import.Id, import.FileName, import.State, [], import.Mapping, null, import.Rows, import.Inserted, import.Updated,
                    import.Unchanged, import.Rejections, []);
            var text = ImportFile.Text(import.Content, out _)!;
            var headers = ImportFile.Headers(text, out _);
            var problem = ImportFile.MappingProblem(import.Mapping, headers);
            if (problem is not null)
                return new Result(import.Id, import.FileName, import.State, headers, import.Mapping, problem, 0, 0, 0, 0, [], []);
            var (rows, rejected, fileProblem) = ImportFile.Rows(text, import.Mapping, await DeviceCatalogue.LoadAsync(db, ct), options.Value.ImportMaxRows);
            if (fileProblem is not null)
                return new Result(import.Id, import.FileName, import.State, headers, import.Mapping, fileProblem, 0, 0, 0, 0, rejected, []);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await importer.StageAsync(rows, ct);
            var forecast = await importer.ForecastAsync(ct);
            await tx.RollbackAsync(ct);
            return new Result(import.Id, import.FileName, import.State, headers, import.Mapping, null, rows.Count + rejected.Count,
                forecast.New, forecast.Updated, forecast.Unchanged, rejected.Concat(forecast.UnknownUsers).OrderBy(r => r.Line).ToList(),
                rows.Take(SampleRows).ToList());
        }
    }
}

/// <summary>The officer chooses which column holds which field; unknown column names are ignored.</summary>
public static class Map
{
    public sealed record Command : ICommand<Done>
    {
        public Guid Id { get; set; }
        public Dictionary<string, string?> Mapping { get; init; } = [];
    }

    internal sealed class Handler(PortalDbContext db) : ICommandHandler<Command, Done>
    {
        public async ValueTask<Done> Handle(Command request, CancellationToken ct)
        {
            var import = await db.DeviceImports.FirstOrDefaultAsync(i => i.Id == request.Id, ct) ?? throw new NotFoundException("The import");
            var headers = import.State == DeviceImportState.Uploaded ? ImportFile.Headers(ImportFile.Text(import.Content, out _) ?? "", out _) : [];
            import.Map(ImportFields.All
                .Where(f => request.Mapping.TryGetValue(f.Field, out var h) && h is not null && headers.Contains(h))
                .ToDictionary(f => f.Field, f => request.Mapping[f.Field]!));
            await db.SaveChangesAsync(ct);
            return Done.Value;
        }
    }
}

/// <summary>
/// The import itself, after the preview: staged, merged and checked against the published rules in the command's
/// one transaction. The import row is locked first, so two clicks import once.
/// </summary>
public static class Confirm
{
    public sealed record Command(Guid Id) : ICommand<DeviceImport>;

    internal sealed class Handler(ICurrentUser user, PortalDbContext db, DeviceImporter importer, Compliance compliance, TimeProvider clock, IOptions<DevicesOptions> options)
        : ICommandHandler<Command, DeviceImport>
    {
        public async ValueTask<DeviceImport> Handle(Command request, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            var import = await db.DeviceImports.FromSql($"SELECT * FROM device_imports WHERE id = {request.Id} FOR UPDATE").SingleOrDefaultAsync(ct)
                ?? throw new NotFoundException("The import");
            if (import.State != DeviceImportState.Uploaded)
                throw new DomainException("This file was already imported; upload it again to import it once more.");
            var text = ImportFile.Text(import.Content, out _)!;
            if (ImportFile.MappingProblem(import.Mapping, ImportFile.Headers(text, out _)) is { } mappingProblem)
                throw new DomainException(mappingProblem);
            var (rows, rejected, fileProblem) = ImportFile.Rows(text, import.Mapping, await DeviceCatalogue.LoadAsync(db, ct), options.Value.ImportMaxRows);
            if (fileProblem is not null)
                throw new DomainException(fileProblem);
            await importer.StageAsync(rows, ct);
            var outcome = await importer.MergeAsync(now, ct);
            if (outcome.ChangedDeviceIds.Length > 0)
                await compliance.ScanDevicesAsync(outcome.ChangedDeviceIds, now, ct);
            import.Complete(rows.Count + rejected.Count, outcome.Inserted, outcome.Updated, outcome.Unchanged,
                rejected.Concat(outcome.UnknownUsers).OrderBy(r => r.Line).ToList(), now);
            db.AuditEvents.Add(AuditEvent.Record(nameof(DeviceImport), import.Id, "Imported", user.Id, now,
                data: System.Text.Json.JsonSerializer.Serialize(new { file = import.FileName, outcome.Inserted, outcome.Updated, outcome.Unchanged, rejected = import.Rejections.Count })));
            await db.SaveChangesAsync(ct);
            return import;
        }
    }
}
