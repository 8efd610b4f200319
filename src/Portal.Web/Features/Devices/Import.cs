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

using Portal.Web.Infrastructure.Telemetry;

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

    /// <param name="AutoRefresh">While it runs, whether its page refreshes itself (the officer may turn that off).</param>
    public sealed record Query(Guid Id, bool AutoRefresh = true) : IRequest<Result>;

    public sealed record Result(Guid Id, string FileName, DeviceImportState State, IReadOnlyList<string> Headers, Dictionary<string, string> Mapping,
        string? Problem, int Rows, int New, int Updated, int Unchanged, IReadOnlyList<ImportRejection> Rejections, IReadOnlyList<ImportRow> Sample,
        int RowsDone = 0, int RowsRejected = 0, bool AutoRefresh = false)
    {
        public bool Working => State is DeviceImportState.Queued or DeviceImportState.Running;
    }

    internal sealed class Handler(PortalDbContext db, DeviceImporter importer, IOptions<DevicesOptions> options) : IRequestHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query request, CancellationToken ct)
        {
            var import = await db.DeviceImports.AsNoTracking().FirstOrDefaultAsync(i => i.Id == request.Id, ct) ?? throw new NotFoundException("The import");
            if (import.State != DeviceImportState.Uploaded)
                return new Result(import.Id, import.FileName, import.State, [], import.Mapping, import.Failure, import.Rows, import.Inserted, import.Updated,
                    import.Unchanged, import.Rejections, [], import.RowsDone, import.RowsRejected, request.AutoRefresh);
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
/// The officer confirms the preview: the import is queued for a worker (<see cref="RunImport"/>), and the import's
/// page shows its progress. The import row is locked first, so two clicks queue it once.
/// </summary>
public static class Confirm
{
    public sealed record Command(Guid Id) : ICommand<DeviceImport>;

    internal sealed class Handler(ICurrentUser user, PortalDbContext db, TimeProvider clock) : ICommandHandler<Command, DeviceImport>
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
            import.Queue(now);
            db.AuditEvents.Add(AuditEvent.Record(nameof(DeviceImport), import.Id, "ImportQueued", user.Id, now,
                data: System.Text.Json.JsonSerializer.Serialize(new { file = import.FileName })));
            await db.SaveChangesAsync(ct);
            return import;
        }
    }
}

/// <summary>
/// A worker imports the oldest queued import: staged, merged and checked against the published rules in this
/// command's one transaction, so a failure leaves nothing behind. Any instance may run it: the import is taken with
/// a transaction-scoped advisory lock (an instance that dies lets go, and the next worker starts it again), and
/// the progress (rows done, total, rejected) is written on a connection of its own, outside the transaction,
/// so the import's page on every instance can show it. An import that failed three times is given up.
/// </summary>
public static class RunImport
{
    public const int MaxAttempts = 3;

    public sealed record Command : ICommand<Result>;

    /// <summary>The import worked on, if any was waiting.</summary>
    public sealed record Result(Guid? ImportId, DeviceImportState? State);

    internal sealed class Handler(PortalDbContext db, DeviceImporter importer, Compliance compliance, TimeProvider clock,
        IOptions<DevicesOptions> options, Npgsql.NpgsqlDataSource dataSource) : ICommandHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command request, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            var candidates = await db.DeviceImports.AsNoTracking()
                .Where(i => i.State == DeviceImportState.Queued || i.State == DeviceImportState.Running)
                .OrderBy(i => i.QueuedAt).ThenBy(i => i.Id).Select(i => i.Id).Take(20).ToListAsync(ct);
            Guid? taken = null;
            foreach (var candidate in candidates)
            {
                if ((await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_xact_lock({LockClass}, hashtext({candidate.ToString()})) AS \"Value\"").ToListAsync(ct))[0])
                {
                    taken = candidate;
                    break;
                }
            }
            if (taken is not { } id)
                return new Result(null, null);
            var import = await db.DeviceImports.SingleAsync(i => i.Id == id, ct);
            if (import.State is not (DeviceImportState.Queued or DeviceImportState.Running))
                return new Result(id, import.State);
            var attempts = await ProgressAsync(id, "state = 'Running', started_at = coalesce(started_at, @now), attempts = attempts + 1, rows_done = 0", now, ct);
            if (attempts > MaxAttempts)
                return await FinishAsync(import, "The import stopped unexpectedly three times; nothing was imported. Upload the file again, or ask an administrator to look at the logs.", now);

            var text = ImportFile.Text(import.Content, out _)!;
            if (ImportFile.MappingProblem(import.Mapping, ImportFile.Headers(text, out _)) is { } mappingProblem)
                return await FinishAsync(import, mappingProblem, now);
            // Each step is a span of its own (Import.Parse, .Stage, .Merge, .Scan): where an import's time goes.
            var parsing = PortalTelemetry.Source.StartActivity("Import.Parse");
            var (rows, rejected, fileProblem) = ImportFile.Rows(text, import.Mapping, await DeviceCatalogue.LoadAsync(db, ct), options.Value.ImportMaxRows);
            parsing?.Dispose();
            if (fileProblem is not null)
                return await FinishAsync(import, fileProblem, now);
            var total = rows.Count + rejected.Count;
            await ProgressAsync(id, $"rows = {total}, rows_rejected = {rejected.Count}, rows_done = {rejected.Count}", now, ct);
            using (PortalTelemetry.Source.StartActivity("Import.Stage"))
                await importer.StageAsync(rows, ct, done => ProgressAsync(id, $"rows_done = {rejected.Count + done}", now, ct));
            DeviceImporter.Outcome outcome;
            using (PortalTelemetry.Source.StartActivity("Import.Merge"))
                outcome = await importer.MergeAsync(now, ct);
            if (outcome.ChangedDeviceIds.Length > 0)
                using (PortalTelemetry.Source.StartActivity("Import.Scan"))
                    await compliance.ScanDevicesAsync(outcome.ChangedDeviceIds, now, ct);
            import.Complete(total, outcome.Inserted, outcome.Updated, outcome.Unchanged,
                rejected.Concat(outcome.UnknownUsers).OrderBy(r => r.Line).ToList(), now);
            db.AuditEvents.Add(AuditEvent.Record(nameof(DeviceImport), import.Id, "Imported", import.UploadedById, now,
                data: System.Text.Json.JsonSerializer.Serialize(new { file = import.FileName, outcome.Inserted, outcome.Updated, outcome.Unchanged, rejected = import.Rejections.Count })));
            await db.SaveChangesAsync(ct);
            return new Result(id, import.State);
        }

        /// <summary>Advisory lock class of import jobs (the second key is the import id's hash).</summary>
        private const int LockClass = 18_001;

        private async Task<Result> FinishAsync(DeviceImport import, string reason, DateTimeOffset now)
        {
            import.Fail(reason, now);
            db.AuditEvents.Add(AuditEvent.Record(nameof(DeviceImport), import.Id, "ImportFailed", null, now, reason));
            await db.SaveChangesAsync();
            return new Result(import.Id, import.State);
        }

        /// <summary>Writes progress on a connection of its own (committed at once), and answers the attempts so far.</summary>
        private async Task<int> ProgressAsync(Guid id, string set, DateTimeOffset now, CancellationToken ct)
        {
            await using var command = dataSource.CreateCommand($"UPDATE device_imports SET {set} WHERE id = @id RETURNING attempts");
            command.Parameters.AddWithValue("id", id);
            command.Parameters.AddWithValue("now", now);
            return (int)(await command.ExecuteScalarAsync(ct))!;
        }
    }
}

internal sealed class ImportRunning(IServiceScopeFactory scopes, IOptions<DevicesOptions> options, ILogger<ImportRunning> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.ImportWorkerEnabled)
            return;
        Infrastructure.Pipeline.RoutineWork.Begin();
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.ImportPollMilliseconds));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                // Until nothing is waiting: a queue of imports drains without waiting a tick between them.
                while (true)
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var result = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new RunImport.Command(), stoppingToken);
                    if (result.ImportId is null)
                        break;
                    logger.LogInformation("Device import {Import}: {State}", result.ImportId, result.State);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Device import failed; will retry");
            }
        }
    }
}
