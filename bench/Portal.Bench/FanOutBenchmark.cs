using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Features.Acknowledgements;
using Portal.Web.Features.Circulars;
using Portal.Web.Features.Notifications;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Startup;

namespace Portal.Bench;

/// <summary>
/// Publishing one circular to a whole organisation, measured against a raw binary COPY of the very rows
/// it created into the same (emptied) tables, in the same run on the same database. Then the per-circular
/// dashboard on that data, and an acknowledgement storm over HTTP against the real app.
/// </summary>
public sealed class FanOutBenchmark(FanOutBenchmark.Options options)
{
    public sealed record Options(int Staff, int Units, int Dependents, int Acks, int Connections, int Repeat, string ServerConnection, string? AppDll)
    {
        public static Options Parse(string[] args)
        {
            int Int(string name, int fallback) =>
                Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : fallback;
            return new Options(Int("--staff", 200_000), Int("--units", 2_000), Int("--dependents", 300_000), Int("--acks", 100_000),
                Int("--connections", 256), Int("--repeat", 3),
                Environment.GetEnvironmentVariable("BENCH_PG") ?? throw new InvalidOperationException("BENCH_PG is not set: run ./bench.sh fanout"),
                Environment.GetEnvironmentVariable("BENCH_APP_DLL"));
        }
    }

    private string connection = "";
    private IServiceProvider services = null!;

    public async Task<int> RunAsync()
    {
        var database = $"portal_bench_{DateTime.UtcNow:yyyyMMddHHmmss}";
        await using (var admin = new NpgsqlConnection(options.ServerConnection))
        {
            await admin.OpenAsync();
            await new NpgsqlCommand($"CREATE DATABASE {database}", admin).ExecuteNonQueryAsync();
        }
        connection = new NpgsqlConnectionStringBuilder(options.ServerConnection) { Database = database, CommandTimeout = 600 }.ConnectionString;
        try
        {
            await PrepareAsync();
            var circular = await GenerateAsync();
            var (fanOut, copy) = await MeasureFanOutAsync(circular);
            await MeasureDashboardAsync(circular);
            var stormOk = await MeasureStormAsync(circular);
            Console.WriteLine($"fan-out (median of {options.Repeat}): {fanOut:F0} ms");
            Console.WriteLine($"binary COPY of the same rows (median of {options.Repeat}): {copy:F0} ms");
            Console.WriteLine($"ratio: {fanOut / copy:F2}");
            return stormOk ? 0 : 1;
        }
        finally
        {
            if (services is IDisposable disposable) disposable.Dispose();
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(options.ServerConnection);
            await admin.OpenAsync();
            await new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", admin).ExecuteNonQueryAsync();
        }
    }

    private async Task PrepareAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Configuration["ConnectionStrings:Portal"] = connection;
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddPortalOptions(builder.Configuration).AddPortalData(builder.Configuration).AddPortalIdentity().AddPortalMediator().AddPortalWeb();
        services = builder.Build().Services;
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<Migrator>().ApplyAsync(Migrator.DefaultDirectory);
        await scope.ServiceProvider.GetRequiredService<DemoData>().LoadAsync();
    }

    private static async Task<T> Timed<T>(string label, Func<Task<T>> work)
    {
        var watch = Stopwatch.StartNew();
        var result = await work();
        Console.WriteLine($"{label}: {watch.Elapsed.TotalMilliseconds:F0} ms");
        return result;
    }

    /// <summary>An organisation of the asked size under its own root, written with binary COPY.</summary>
    private async Task<Guid> GenerateAsync()
    {
        var watch = Stopwatch.StartNew();
        await using var conn = new NpgsqlConnection(connection);
        await conn.OpenAsync();
        var random = new Random(42);
        var units = new List<(Guid Id, string Path)>();
        var root = Guid.CreateVersion7();
        var wings = Math.Max(1, options.Units / 50);
        var squadrons = options.Units - 1 - wings;
        await using (var copy = await conn.BeginBinaryImportAsync("COPY units (id, name, code, kind, parent_id, path, depth) FROM STDIN (FORMAT BINARY)"))
        {
            var rootPath = $"/{root:N}/";
            await Row(copy, root, "Bench Command", "BENCH", "Command", null, rootPath, 0);
            var wingPaths = new List<(Guid, string)>();
            for (var w = 0; w < wings; w++)
            {
                var id = Guid.CreateVersion7();
                var path = $"{rootPath}{id:N}/";
                wingPaths.Add((id, path));
                await Row(copy, id, $"Bench Wing {w}", $"BW{w}", "Wing", root, path, 1);
            }
            for (var s = 0; s < squadrons; s++)
            {
                var (wing, wingPath) = wingPaths[s % wings];
                var id = Guid.CreateVersion7();
                var path = $"{wingPath}{id:N}/";
                units.Add((id, path));
                await Row(copy, id, $"Bench Squadron {s}", $"BS{s}", "Squadron", wing, path, 2);
            }
            await copy.CompleteAsync();

            static async Task Row(NpgsqlBinaryImporter copy, Guid id, string name, string code, string kind, Guid? parent, string path, int depth)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(id, NpgsqlDbType.Uuid);
                await copy.WriteAsync(name);
                await copy.WriteAsync(code);
                await copy.WriteAsync(kind);
                if (parent is { } p) await copy.WriteAsync(p, NpgsqlDbType.Uuid); else await copy.WriteNullAsync();
                await copy.WriteAsync(path);
                await copy.WriteAsync(depth);
            }
        }
        var staffIds = new Guid[options.Staff];
        await using (var copy = await conn.BeginBinaryImportAsync("COPY staff_members (id, service_number, full_name, email, mobile_number, unit_id) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < options.Staff; i++)
            {
                staffIds[i] = Guid.CreateVersion7();
                await copy.StartRowAsync();
                await copy.WriteAsync(staffIds[i], NpgsqlDbType.Uuid);
                await copy.WriteAsync($"B{i:D7}");
                await copy.WriteAsync($"Bench Person {i}");
                await copy.WriteAsync($"b{i}@staff.bench.example");
                if (i % 2 == 0) await copy.WriteAsync($"+9198{i:D8}"); else await copy.WriteNullAsync();
                await copy.WriteAsync(units[i % units.Count].Id, NpgsqlDbType.Uuid);
            }
            await copy.CompleteAsync();
        }
        await using (var copy = await conn.BeginBinaryImportAsync("COPY dependents (id, staff_member_id, full_name, relationship, email, mobile_number, preferred_language, consent_to_contact) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < options.Dependents; i++)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
                await copy.WriteAsync(staffIds[i % staffIds.Length], NpgsqlDbType.Uuid);
                await copy.WriteAsync($"Bench Family {i}");
                await copy.WriteAsync(i % 3 == 0 ? "Child" : "Spouse");
                if (random.Next(10) < 4) await copy.WriteAsync($"f{i}@home.bench.example"); else await copy.WriteNullAsync();
                await copy.WriteAsync($"+9197{i:D8}");
                await copy.WriteAsync(i % 4 == 0 ? "hi" : "en");
                await copy.WriteAsync(random.Next(10) != 0);
            }
            await copy.CompleteAsync();
        }
        await new NpgsqlCommand("ANALYZE", conn).ExecuteNonQueryAsync();
        Console.WriteLine($"generated {options.Units} units, {options.Staff:N0} staff, {options.Dependents:N0} dependents: {watch.Elapsed.TotalSeconds:F1} s");

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var officer = await db.Users.SingleAsync(u => u.Email == "officer@portal.example");
        var now = DateTimeOffset.UtcNow;
        var maker = Manufacturer.Create("Bench Phones", [], null, now);
        var model = DeviceModel.Create(maker.Id, "Bench One", ["B1"], ["35123456"], now);
        db.AddRange(maker, model);
        var circular = Circular.Draft(new CircularContent("Benchmark circular", Severity.High, TlpLabel.Green, "Summary.", "", "Risk.", "",
            "Required actions.", "", DateOnly.FromDateTime(DateTime.UtcNow.AddDays(14)), true, "Family summary.", ""), officer.Id, now);
        circular.AddRule(maker.Id, model.Id, null, [], null, RuleAction.Banned, null, officer.Id, now);
        circular.AddAudienceUnit(root, officer.Id, now);
        circular.Submit(officer.Id, now);
        db.Circulars.Add(circular);
        await db.SaveChangesAsync();
        return circular.Id;
    }

    private async Task<(double FanOut, double Copy)> MeasureFanOutAsync(Guid circularId)
    {
        // 1. The real thing once: the approver's command publishes and fans out in one transaction.
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            var approver = await db.Users.SingleAsync(u => u.Email == "approver@portal.example");
            var version = await db.Circulars.Where(c => c.Id == circularId).Select(c => c.Version).SingleAsync();
            await Timed("publish through the approve command (approval, revision, fan-out, commit)", () =>
                scope.ServiceProvider.GetRequiredService<IMediator>().Send(new Approve.Command { Id = circularId, Version = version, ActorId = approver.Id }).AsTask());
        }
        var (requests, notifications) = await CountsAsync(circularId);
        Console.WriteLine($"rows: {requests:N0} acknowledgement requests, {notifications:N0} notifications");

        // 2. The same rows, out as binary COPY data, to be copied back in.
        var requestData = await ExportAsync("acknowledgement_requests");
        var notificationData = await ExportAsync("notifications");

        var fanOutTimes = new List<double>();
        var copyTimes = new List<double>();
        for (var run = 0; run < options.Repeat; run++)
        {
            // Alternate which goes first so neither always meets a warmer cache.
            foreach (var which in run % 2 == 0 ? new[] { "fan-out", "copy" } : ["copy", "fan-out"])
            {
                await EmptyAsync();
                var watch = Stopwatch.StartNew();
                if (which == "fan-out")
                {
                    await FanOutOnceAsync(circularId);
                    fanOutTimes.Add(watch.Elapsed.TotalMilliseconds);
                }
                else
                {
                    await CopyInAsync(requestData, notificationData);
                    copyTimes.Add(watch.Elapsed.TotalMilliseconds);
                }
                Console.WriteLine($"  run {run + 1} {which}: {watch.Elapsed.TotalMilliseconds:F0} ms");
            }
        }
        var (r2, n2) = await CountsAsync(circularId);
        if (r2 != requests || n2 != notifications)
            throw new InvalidOperationException($"The last run left {r2} requests and {n2} notifications, expected {requests} and {notifications}.");
        return (Median(fanOutTimes), Median(copyTimes));
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    private async Task<(long Requests, long Notifications)> CountsAsync(Guid circularId)
    {
        await using var conn = new NpgsqlConnection(connection);
        await conn.OpenAsync();
        var requests = (long)(await new NpgsqlCommand($"SELECT count(*) FROM acknowledgement_requests WHERE circular_id = '{circularId}'", conn).ExecuteScalarAsync())!;
        var notifications = (long)(await new NpgsqlCommand($"SELECT count(*) FROM notifications WHERE circular_id = '{circularId}'", conn).ExecuteScalarAsync())!;
        return (requests, notifications);
    }

    private async Task<byte[]> ExportAsync(string table)
    {
        await using var conn = new NpgsqlConnection(connection);
        await conn.OpenAsync();
        await using var raw = await conn.BeginRawBinaryCopyAsync($"COPY {table} TO STDOUT (FORMAT BINARY)");
        using var buffer = new MemoryStream();
        await raw.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    private async Task EmptyAsync()
    {
        await using var conn = new NpgsqlConnection(connection);
        await conn.OpenAsync();
        await new NpgsqlCommand("TRUNCATE notification_attempts, notifications, acknowledgement_requests; CHECKPOINT", conn).ExecuteNonQueryAsync();
    }

    private async Task FanOutOnceAsync(Guid circularId)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var revision = await db.CircularRevisions.AsNoTracking().SingleAsync(r => r.CircularId == circularId);
        await using var tx = await db.Database.BeginTransactionAsync();
        await scope.ServiceProvider.GetRequiredService<FanOut>().PublishAsync(revision, true, NotificationPurpose.Published, DateTimeOffset.UtcNow, CancellationToken.None);
        await tx.CommitAsync();
    }

    private async Task CopyInAsync(byte[] requests, byte[] notifications)
    {
        await using var conn = new NpgsqlConnection(connection);
        await conn.OpenAsync();
        await using var tx = await conn.BeginTransactionAsync();
        foreach (var (table, data) in new[] { ("acknowledgement_requests", requests), ("notifications", notifications) })
        {
            await using var raw = await conn.BeginRawBinaryCopyAsync($"COPY {table} FROM STDIN (FORMAT BINARY)");
            await raw.WriteAsync(data);
        }
        await tx.CommitAsync();
    }

    private async Task MeasureDashboardAsync(Guid circularId)
    {
        await using var scope = services.CreateAsyncScope();
        var measure = DashboardProbe.Find(scope.ServiceProvider, circularId);
        if (measure is null)
        {
            return;
        }
        var times = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var watch = Stopwatch.StartNew();
            await measure();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        Console.WriteLine($"dashboard for the whole organisation (median of 5, target < 200 ms): {Median(times):F0} ms");
    }

    /// <summary>Family members acknowledge through their links: N POSTs over the given number of concurrent connections to the real app.</summary>
    private async Task<bool> MeasureStormAsync(Guid circularId)
    {
        if (options.AppDll is null)
        {
            Console.WriteLine("acknowledgement storm: not measured (BENCH_APP_DLL not set)");
            return true;
        }
        List<string> tokens;
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            var links = scope.ServiceProvider.GetRequiredService<FamilyLinks>();
            var dependents = await db.AcknowledgementRequests.AsNoTracking().Where(a => a.CircularId == circularId && a.DependentId != null)
                .OrderBy(a => a.Id).Take(options.Acks).Select(a => a.DependentId!.Value).ToListAsync();
            tokens = dependents.Select(d => links.CreateToken(circularId, 1, d)).ToList();
        }
        if (tokens.Count < options.Acks)
            Console.WriteLine($"acknowledgement storm: only {tokens.Count:N0} family requests exist; using them all");

        var port = FreePort();
        using var app = Process.Start(new ProcessStartInfo("dotnet", [options.AppDll])
        {
            WorkingDirectory = Path.GetDirectoryName(options.AppDll)!,
            Environment =
            {
                ["ConnectionStrings__Portal"] = connection + ";Maximum Pool Size=200",
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
                ["Portal__BaseUrl"] = $"http://127.0.0.1:{port}",
                ["Portal__Dispatch__Enabled"] = "false",
                ["Logging__LogLevel__Default"] = "Warning",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        _ = app.StandardOutput.ReadToEndAsync();
        _ = app.StandardError.ReadToEndAsync();
        try
        {
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.Connections, AllowAutoRedirect = false })
            {
                BaseAddress = new Uri($"http://127.0.0.1:{port}"),
            };
            for (var i = 0; ; i++)
            {
                try
                {
                    if ((await http.GetAsync("/health/ready")).IsSuccessStatusCode) break;
                }
                catch (HttpRequestException) when (i < 120) { }
                if (i >= 120) throw new TimeoutException("The portal did not become ready.");
                await Task.Delay(500);
            }
            var failures = 0;
            var watch = Stopwatch.StartNew();
            await Parallel.ForEachAsync(tokens, new ParallelOptions { MaxDegreeOfParallelism = options.Connections }, async (token, ct) =>
            {
                using var response = await http.PostAsync($"/family/{token}", null, ct);
                if (response.StatusCode != HttpStatusCode.Redirect)
                    Interlocked.Increment(ref failures);
            });
            var elapsed = watch.Elapsed;
            await using var conn = new NpgsqlConnection(connection);
            await conn.OpenAsync();
            var recorded = (long)(await new NpgsqlCommand(
                $"SELECT count(*) FROM acknowledgement_requests WHERE circular_id = '{circularId}' AND channel = 'FamilyLink' AND acknowledged_at IS NOT NULL", conn).ExecuteScalarAsync())!;
            Console.WriteLine($"acknowledgement storm: {tokens.Count:N0} acknowledgements over {options.Connections} connections in {elapsed.TotalSeconds:F1} s " +
                $"({tokens.Count / elapsed.TotalSeconds:F0}/s); {failures} failed requests; {recorded:N0} recorded");
            var exact = recorded == tokens.Count && failures == 0;
            Console.WriteLine(exact ? "acknowledgement storm: every acknowledgement recorded exactly once" : "acknowledgement storm: MISMATCH");
            return exact;
        }
        finally
        {
            app.Kill(entireProcessTree: true);
            await app.WaitForExitAsync();
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>The per-circular dashboard as a security officer opens it for the whole organisation: the page's own query.</summary>
internal static class DashboardProbe
{
    public static Func<Task>? Find(IServiceProvider services, Guid circularId)
    {
        var db = services.GetRequiredService<PortalDbContext>();
        var officer = db.Users.AsNoTracking().Single(u => u.Email == "officer@portal.example");
        var reader = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [
                new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, officer.Id.ToString()),
                new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.Role, Roles.SecurityOfficer),
            ], "bench"));
        var mediator = services.GetRequiredService<IMediator>();
        return () => mediator.Send(new Portal.Web.Features.Dashboards.Progress.Query(circularId, null, reader)).AsTask();
    }
}
