using System.Diagnostics;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Features.Devices;
using Mediator;
using Portal.Web.Infrastructure.Auth;

namespace Portal.Bench;

/// <summary>
/// Importing an Intune-style export of --rows rows the real way (the worker's <see cref="RunImport"/> command: parse
/// with Sep, check each row, resolve the catalogue, binary COPY into staging, match staff by e-mail, merge, scan the
/// changed devices, in one transaction), against a raw binary COPY of the same rows, already resolved, into the
/// devices table. Devices are emptied before each, alternating which goes first. Last line: "ratio: X".
/// </summary>
public sealed class ImportBenchmark(ImportBenchmark.Options options)
{
    public sealed record Options(int Rows, int Repeat, string ServerConnection)
    {
        public static Options Parse(string[] args)
        {
            int Int(string name, int fallback) =>
                Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : fallback;
            return new Options(Int("--rows", 100_000), Int("--repeat", 3),
                Environment.GetEnvironmentVariable("BENCH_PG") ?? throw new InvalidOperationException("BENCH_PG is not set: run ./bench.sh import"));
        }
    }

    public async Task<int> RunAsync()
    {
        await using var bench = await BenchDatabase.CreateAsync(options.ServerConnection);
        var staffCount = Math.Max(1_000, options.Rows / 5);
        var organisation = await bench.GenerateOrganisationAsync(Math.Max(20, staffCount / 100), staffCount, 0);
        var csv = new StringBuilder("Device name,Manufacturer,Model,IMEI,Serial number,OS version,Primary user UPN\n");
        var rows = new List<(string Imei, int Staff, string Os)>(options.Rows);
        for (var i = 0; i < options.Rows; i++)
        {
            var fourteen = (35_200_000 + i % 1000).ToString("D8") + (i / 1000).ToString("D6");
            var imei = fourteen + Imeis.CheckDigit(fourteen);
            var os = $"14.{i % 7}";
            rows.Add((imei, i % staffCount, os));
            csv.Append($"Phone {i},Samsung Electronics Co. Ltd.,Galaxy S5,{imei},SER{i},{os},b{i % staffCount}@staff.bench.example\n");
        }
        var content = Encoding.UTF8.GetBytes(csv.ToString());
        Console.WriteLine($"export: {options.Rows:N0} rows, {content.Length / 1024.0 / 1024.0:F1} MB");

        Guid officer, samsung, galaxyS5;
        await using (var scope = bench.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            officer = await db.Users.Where(u => u.Email == "officer@portal.example").Select(u => u.Id).SingleAsync();
            samsung = await db.Manufacturers.Where(m => m.Name == "Samsung").Select(m => m.Id).SingleAsync();
            galaxyS5 = await db.DeviceModels.Where(m => m.MarketingName == "Galaxy S5").Select(m => m.Id).SingleAsync();
        }

        // The import's own spans (Import.Parse, .Stage, .Merge, .Scan) are printed as they end: where its time goes.
        using var steps = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = source => source.Name == Portal.Web.Infrastructure.Telemetry.PortalTelemetry.Name,
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> o) =>
                o.Name.StartsWith("Import.", StringComparison.Ordinal) ? System.Diagnostics.ActivitySamplingResult.AllData : System.Diagnostics.ActivitySamplingResult.None,
            ActivityStopped = a => Console.WriteLine($"  {a.DisplayName}: {a.Duration.TotalMilliseconds:F0} ms"),
        };
        System.Diagnostics.ActivitySource.AddActivityListener(steps);
        var imports = new List<double>();
        var copies = new List<double>();
        var inserted = 0;
        for (var round = 0; round < options.Repeat; round++)
        {
            async Task Import()
            {
                await EmptyAsync(bench);
                Guid id;
                await using (var scope = bench.Services.CreateAsyncScope())
                {
                    var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
                    var text = ImportFile.Text(content, out _)!;
                    var import = DeviceImport.Upload(officer, "bench.csv", content, ImportFields.Guess(ImportFile.Headers(text, out _)), DateTimeOffset.UtcNow);
                    db.DeviceImports.Add(import);
                    await db.SaveChangesAsync();
                    id = import.Id;
                    scope.ServiceProvider.GetRequiredService<CurrentUser>().Assume(CurrentUser.For(officer, Roles.SecurityOfficer));
                    await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new Confirm.Command(id));
                }
                var watch = Stopwatch.StartNew();
                await using (var scope = bench.Services.CreateAsyncScope())
                {
                    var result = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new RunImport.Command());
                    if (result.State != DeviceImportState.Completed)
                        throw new InvalidOperationException($"the import ended {result.State}");
                }
                imports.Add(watch.Elapsed.TotalMilliseconds);
                inserted = (int)await bench.ScalarAsync($"SELECT inserted FROM device_imports WHERE id = '{id}'");
            }
            async Task Copy()
            {
                await EmptyAsync(bench);
                var staffIds = organisation.StaffIds;
                await using var conn = await bench.OpenAsync();
                var now = DateTimeOffset.UtcNow;
                var watch = Stopwatch.StartNew();
                await using (var copy = await conn.BeginBinaryImportAsync("""
                    COPY devices (id, staff_member_id, manufacturer_name, manufacturer_id, model, device_model_id, imei, tac, os_version, os_version_key,
                                  serial_number, device_name, source, registered_at, updated_at) FROM STDIN (FORMAT BINARY)
                    """))
                {
                    for (var i = 0; i < rows.Count; i++)
                    {
                        var (imei, staff, os) = rows[i];
                        await copy.StartRowAsync();
                        await copy.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
                        await copy.WriteAsync(staffIds[staff], NpgsqlDbType.Uuid);
                        await copy.WriteAsync("Samsung Electronics Co. Ltd.", NpgsqlDbType.Varchar);
                        await copy.WriteAsync(samsung, NpgsqlDbType.Uuid);
                        await copy.WriteAsync("Galaxy S5", NpgsqlDbType.Varchar);
                        await copy.WriteAsync(galaxyS5, NpgsqlDbType.Uuid);
                        await copy.WriteAsync(imei, NpgsqlDbType.Varchar);
                        await copy.WriteAsync(imei[..8], NpgsqlDbType.Varchar);
                        await copy.WriteAsync(os, NpgsqlDbType.Varchar);
                        await copy.WriteAsync(Versions.Key(os), NpgsqlDbType.Varchar);
                        await copy.WriteAsync($"SER{i}", NpgsqlDbType.Varchar);
                        await copy.WriteAsync($"Phone {i}", NpgsqlDbType.Varchar);
                        await copy.WriteAsync("MdmImport", NpgsqlDbType.Varchar);
                        await copy.WriteAsync(now, NpgsqlDbType.TimestampTz);
                        await copy.WriteAsync(now, NpgsqlDbType.TimestampTz);
                    }
                    await copy.CompleteAsync();
                }
                copies.Add(watch.Elapsed.TotalMilliseconds);
            }
            if (round % 2 == 0) { await Import(); await Copy(); } else { await Copy(); await Import(); }
            Console.WriteLine($"round {round + 1}: import {imports[^1]:F0} ms ({inserted:N0} new devices), raw COPY {copies[^1]:F0} ms");
        }
        if (inserted != options.Rows)
        {
            Console.WriteLine($"the import added {inserted:N0} devices of {options.Rows:N0}");
            return 1;
        }

        await using (var scope = bench.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            var import = DeviceImport.Upload(officer, "bench-again.csv", content, ImportFields.Guess(ImportFile.Headers(ImportFile.Text(content, out _)!, out _)), DateTimeOffset.UtcNow);
            db.DeviceImports.Add(import);
            await db.SaveChangesAsync();
            scope.ServiceProvider.GetRequiredService<CurrentUser>().Assume(CurrentUser.For(officer, Roles.SecurityOfficer));
            await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new Confirm.Command(import.Id));
        }
        var again = Stopwatch.StartNew();
        await using (var scope = bench.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new RunImport.Command());
        Console.WriteLine($"the same file imported again (everything unchanged): {again.Elapsed.TotalMilliseconds:F0} ms");

        var importMs = imports.Order().ElementAt(imports.Count / 2);
        var copyMs = copies.Order().ElementAt(copies.Count / 2);
        Console.WriteLine($"import of {options.Rows:N0} rows: parse, check, match staff, merge, scan (median of {options.Repeat}): {importMs:F0} ms");
        Console.WriteLine($"raw binary COPY of the same rows into devices (median of {options.Repeat}): {copyMs:F0} ms");
        Console.WriteLine($"ratio: {importMs / copyMs:F2}");
        return 0;
    }

    private static async Task EmptyAsync(BenchDatabase bench)
    {
        await using var conn = await bench.OpenAsync();
        await new NpgsqlCommand("TRUNCATE compliance_findings; DELETE FROM notifications WHERE purpose = 'DeviceFlagged'; DELETE FROM devices", conn)
            { CommandTimeout = 600 }.ExecuteNonQueryAsync();
        // Vacuumed and checkpointed before each timed run: otherwise each round inherits the last one's dead rows (the
        // merge's IMEI index grew with them, and round 3 took twice round 1) and perhaps its checkpoint (decision 0054).
        await new NpgsqlCommand("VACUUM (ANALYZE) devices", conn) { CommandTimeout = 600 }.ExecuteNonQueryAsync();
        await new NpgsqlCommand("VACUUM (ANALYZE) notifications", conn) { CommandTimeout = 600 }.ExecuteNonQueryAsync();
        await new NpgsqlCommand("CHECKPOINT", conn) { CommandTimeout = 600 }.ExecuteNonQueryAsync();
    }
}
