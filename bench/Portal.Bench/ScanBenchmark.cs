using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Features.Devices;

namespace Portal.Bench;

/// <summary>
/// The full compliance scan (<see cref="Compliance.ScanAllAsync"/>: findings opened, owners told) over --devices
/// devices against the demo circular's rules plus a rule of --prefixes TAC prefixes, measured against one
/// hand-written query that computes the same findings into a table of the same shape, in the same run on the same
/// database, alternating which goes first. Last line: "ratio: X" (scan / baseline).
/// </summary>
public sealed class ScanBenchmark(ScanBenchmark.Options options)
{
    public sealed record Options(int Devices, int Prefixes, int Repeat, int Connections, int Seconds, string ServerConnection, string? AppDll)
    {
        public static Options Parse(string[] args)
        {
            int Int(string name, int fallback) =>
                Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : fallback;
            return new Options(Int("--devices", 1_000_000), Int("--prefixes", 5_000), Int("--repeat", 3), Int("--connections", 64), Int("--seconds", 10),
                Environment.GetEnvironmentVariable("BENCH_PG") ?? throw new InvalidOperationException("BENCH_PG is not set: run ./bench.sh scan"),
                Environment.GetEnvironmentVariable("BENCH_APP_DLL"));
        }
    }

    public async Task<int> RunAsync()
    {
        await using var bench = await BenchDatabase.CreateAsync(options.ServerConnection);
        var staff = Math.Max(1_000, options.Devices / 5);
        var organisation = await bench.GenerateOrganisationAsync(Math.Max(20, options.Devices / 500), staff, staff / 2);
        await GenerateAsync(bench, organisation);
        await using (var conn = await bench.OpenAsync())
            await new NpgsqlCommand(BaselineTableSql, conn).ExecuteNonQueryAsync();

        var scans = new List<double>();
        var baselines = new List<double>();
        long findings = 0, expected = 0;
        for (var round = 0; round < options.Repeat; round++)
        {
            async Task Scan()
            {
                await ResetAsync(bench);
                var watch = Stopwatch.StartNew();
                await using var scope = bench.Services.CreateAsyncScope();
                var counts = await scope.ServiceProvider.GetRequiredService<Compliance>().ScanAllAsync(DateTimeOffset.UtcNow, CancellationToken.None);
                scans.Add(watch.Elapsed.TotalMilliseconds);
                findings = counts.Flagged;
            }
            async Task Baseline()
            {
                await using var conn = await bench.OpenAsync();
                await new NpgsqlCommand("TRUNCATE bench_findings; CHECKPOINT", conn) { CommandTimeout = 600 }.ExecuteNonQueryAsync();
                var watch = Stopwatch.StartNew();
                expected = await new NpgsqlCommand(BaselineSql, conn) { CommandTimeout = 1200 }.ExecuteNonQueryAsync();
                baselines.Add(watch.Elapsed.TotalMilliseconds);
            }
            if (round % 2 == 0) { await Scan(); await Baseline(); } else { await Baseline(); await Scan(); }
            Console.WriteLine($"round {round + 1}: scan {scans[^1]:F0} ms ({findings:N0} findings), baseline {baselines[^1]:F0} ms ({expected:N0} rows)");
        }
        if (options.Repeat == 0)
        {
            // --repeat 0: only the check API (a quick look at it; no scan, so no ratio).
            if (options.AppDll is not null && options.Seconds > 0)
                await CheckApiAsync(bench);
            return 0;
        }
        if (findings != expected)
        {
            Console.WriteLine($"the scan opened {findings:N0} findings, the baseline computed {expected:N0}: they disagree");
            return 1;
        }
        // Before EXPLAIN, which empties the findings: timed after it, this "nightly" scan opened every finding again.
        await using (var scope = bench.Services.CreateAsyncScope())
        {
            var watch = Stopwatch.StartNew();
            var again = await scope.ServiceProvider.GetRequiredService<Compliance>().ScanAllAsync(DateTimeOffset.UtcNow, CancellationToken.None);
            Console.WriteLine($"a nightly scan that changes nothing: {watch.Elapsed.TotalMilliseconds:F0} ms ({again.Flagged:N0} findings opened)");
        }
        if (Environment.GetEnvironmentVariable("BENCH_EXPLAIN") != "0")
            await ExplainAsync(bench);
        if (options.AppDll is not null && options.Seconds > 0)
            await CheckApiAsync(bench);
        var scan = Median(scans);
        var baseline = Median(baselines);
        Console.WriteLine($"devices: {options.Devices:N0}, TAC prefixes: {options.Prefixes:N0}, findings: {findings:N0}");
        Console.WriteLine($"full scan, findings and owners' notifications written (median of {options.Repeat}): {scan:F0} ms");
        Console.WriteLine($"hand-written query writing the same findings (median of {options.Repeat}): {baseline:F0} ms");
        Console.WriteLine($"ratio: {scan / baseline:F2}");
        return 0;
    }

    /// <summary>
    /// The lookup API over HTTP, as an MDM system calls it: the published app as its own process, a client registered
    /// with the devices.check scope and its own rate limit (the most an administrator may give one, 1,000,000 a
    /// window, so the limiter counts every request but refuses none), a real client-credentials token from the
    /// app's token endpoint, and wrk cycling through 20,000 of the registered IMEIs at --connections connections.
    /// </summary>
    private async Task CheckApiAsync(BenchDatabase bench)
    {
        const string secret = "Bench-Check-Client-Secret-2026";
        await using (var scope = bench.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<Portal.Web.Features.ApiClients.ApiClientRegistry>().RegisterAsync(
                "Bench MDM", ApiClientKind.MdmSystem, [Portal.Web.Infrastructure.Auth.ApiScopes.DevicesCheck], null, [], 1_000_000, null,
                CancellationToken.None, clientId: "bench-mdm", secret: secret);
        var imeis = new List<string>();
        await using (var conn = await bench.OpenAsync())
        await using (var read = new NpgsqlCommand("SELECT imei FROM devices TABLESAMPLE SYSTEM (10) REPEATABLE (7) LIMIT 20000", conn))
        await using (var reader = await read.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                imeis.Add(reader.GetString(0));
        await using var app = await PortalProcess.StartAsync(options.AppDll!, bench.Connection);
        using var tokenRequest = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials", ["scope"] = Portal.Web.Infrastructure.Auth.ApiScopes.DevicesCheck,
            }),
        };
        tokenRequest.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"bench-mdm:{secret}")));
        using var tokenResponse = await app.Http.SendAsync(tokenRequest);
        var tokenJson = await tokenResponse.Content.ReadAsStringAsync();
        if (!tokenResponse.IsSuccessStatusCode)
            throw new InvalidOperationException($"The token endpoint refused the benchmark's client: {tokenJson}");
        var token = System.Text.Json.JsonDocument.Parse(tokenJson).RootElement.GetProperty("access_token").GetString()!;
        var authorization = $"Bearer {token}";
        // One answer checked by hand before timing: a banned TAC answers Banned with the demo circular's reference.
        var banned = await bench.ScalarAsync("SELECT count(*) FROM compliance_findings");
        using (var probe = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/devices/check?imei={imeis[0]}"))
        {
            probe.Headers.TryAddWithoutValidation("Authorization", authorization);
            using var answer = await app.Http.SendAsync(probe);
            var body = await answer.Content.ReadAsStringAsync();
            if (!answer.IsSuccessStatusCode || !body.Contains("\"verdict\"", StringComparison.Ordinal))
                throw new InvalidOperationException($"GET /api/v1/devices/check answered {(int)answer.StatusCode}: {body}");
        }
        var work = Path.Combine(Path.GetTempPath(), $"portal-check-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            var targets = imeis.Select(i => ($"/api/v1/devices/check?imei={i}", (string?)null)).ToList();
            var baseUrl = $"http://127.0.0.1:{app.Port}";
            var warmedFor = await Wrk.WarmUpAsync("check API", baseUrl, targets, options.Connections, Math.Max(3, options.Seconds / 2), work, app.ProcessId, authorization);
            var appCpu = CpuTime.OfProcess(app.ProcessId);
            var dbCpu = await CpuTime.OfDatabaseAsync(bench);
            var trace = app.TraceAsync();
            var result = await Wrk.RunAsync("check API", baseUrl, targets, options.Connections, options.Seconds, work, authorization);
            await trace;
            var appMs = (CpuTime.OfProcess(app.ProcessId) - appCpu).TotalMilliseconds / result.Requests;
            var dbMs = ((await CpuTime.OfDatabaseAsync(bench)) - dbCpu).TotalMilliseconds / result.Requests;
            Console.WriteLine($"check API over HTTP (GET /api/v1/devices/check?imei=…, {imeis.Count:N0} IMEIs cycled, bearer token, client limit 1,000,000 a window), " +
                $"wrk {options.Connections} connections, {options.Seconds} s: {result.RequestsPerSecond:F0} requests/s, p50 {result.P50Ms:F2} ms, p99 {result.P99Ms:F2} ms (target < 5 ms); " +
                $"CPU per request: {appMs:F3} ms in the web process, {dbMs:F3} ms in PostgreSQL (warmed up {warmedFor.TotalSeconds:F0} s); {banned:N0} findings open");
        }
        finally
        {
            Directory.Delete(work, true);
        }
    }

    /// <summary>
    /// Where the time goes: EXPLAIN ANALYZE of the scan's statement (from empty findings, as timed) and of the baseline,
    /// each in a transaction rolled back. PostgreSQL reports the time of each node and of each trigger (foreign keys,
    /// the notifications' tally trigger), which the plain timings above cannot tell apart. BENCH_EXPLAIN=0 skips it.
    /// </summary>
    private static async Task ExplainAsync(BenchDatabase bench)
    {
        await ResetAsync(bench);
        await using var conn = await bench.OpenAsync();
        async Task Explain(string name, string sql, Action<NpgsqlParameterCollection> parameters)
        {
            await using var tx = await conn.BeginTransactionAsync();
            await using var command = new NpgsqlCommand("EXPLAIN (ANALYZE, COSTS OFF) " + sql, conn, tx) { CommandTimeout = 1200 };
            parameters(command.Parameters);
            Console.WriteLine($"EXPLAIN ANALYZE, {name}:");
            await using (var reader = await command.ExecuteReaderAsync())
                while (await reader.ReadAsync())
                    Console.WriteLine("  " + reader.GetString(0));
            await tx.RollbackAsync();
        }
        await Explain("the scan (Compliance.ScanSql)", Compliance.ScanSql(false, false), p =>
        {
            p.Add(new NpgsqlParameter("device_ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = DBNull.Value });
            p.Add(new NpgsqlParameter("circular_id", NpgsqlDbType.Uuid) { Value = DBNull.Value });
            p.Add(new NpgsqlParameter("now", NpgsqlDbType.TimestampTz) { Value = DateTimeOffset.UtcNow });
            p.Add(new NpgsqlParameter("no_longer", NpgsqlDbType.Varchar) { Value = "No longer covered by the published rules" });
        });
        await new NpgsqlCommand("TRUNCATE bench_findings", conn).ExecuteNonQueryAsync();
        await Explain("the hand-written baseline", BaselineSql, _ => { });
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    /// <summary>
    /// Where the baseline keeps its findings: a table like compliance_findings (logged, the same columns, identity,
    /// checks, primary key, unique open-finding index and the other indexes, and the same two foreign keys), so that it
    /// stores the same findings as the scan does, only without the scan's other work (decision 0054).
    /// </summary>
    private const string BaselineTableSql = """
        CREATE TABLE bench_findings (LIKE compliance_findings INCLUDING ALL);
        ALTER TABLE bench_findings
            ADD FOREIGN KEY (device_id) REFERENCES devices (id) ON DELETE CASCADE,
            ADD FOREIGN KEY (circular_id) REFERENCES circulars (id) ON DELETE RESTRICT;
        """;

    /// <summary>The same findings as the scan opens, computed by one plain statement into a table of the same shape.</summary>
    private const string BaselineSql = """
        INSERT INTO bench_findings (device_id, circular_id, revision_number, rule_position, action, state, flagged_at)
        SELECT DISTINCT ON (m.device_id, m.circular_id) m.device_id, m.circular_id, m.revision_number, m.position, m.action, 'Flagged', now()
        FROM (
            SELECT d.id AS device_id, t.circular_id, t.revision_number, t.position, t.action, d.os_version_key, t.firmware_below_key
            FROM devices d JOIN device_rule_terms t ON t.manufacturer_id = d.manufacturer_id
            JOIN circulars c ON c.id = t.circular_id AND c.status = 'Published'
            WHERE d.removed_at IS NULL AND (t.whole_manufacturer OR d.device_model_id = ANY (t.model_ids) OR d.model ~* t.pattern_regex)
            UNION ALL
            SELECT d.id, t.circular_id, t.revision_number, t.position, t.action, d.os_version_key, t.firmware_below_key
            FROM devices d JOIN device_rule_tacs x ON x.tac_prefix IN (left(d.tac, 6), left(d.tac, 7), d.tac)
            JOIN device_rule_terms t ON t.circular_id = x.circular_id AND t.position = x.position
            JOIN circulars c ON c.id = t.circular_id AND c.status = 'Published'
            WHERE d.removed_at IS NULL
        ) m
        WHERE m.firmware_below_key IS NULL OR m.os_version_key IS NULL OR m.os_version_key COLLATE "C" < m.firmware_below_key COLLATE "C"
        ORDER BY m.device_id, m.circular_id, m.position
        """;

    private static async Task ResetAsync(BenchDatabase bench)
    {
        await using var conn = await bench.OpenAsync();
        // The deleted notifications are vacuumed and a checkpoint taken before each timed statement, so that no round
        // inherits the previous one's dead rows or pays for its checkpoint: the rounds then agree (decision 0054).
        await new NpgsqlCommand("TRUNCATE compliance_findings; DELETE FROM notifications WHERE purpose = 'DeviceFlagged'", conn) { CommandTimeout = 600 }.ExecuteNonQueryAsync();
        await new NpgsqlCommand("VACUUM (ANALYZE) notifications", conn) { CommandTimeout = 600 }.ExecuteNonQueryAsync();
        await new NpgsqlCommand("CHECKPOINT", conn) { CommandTimeout = 600 }.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Devices written with binary COPY: TACs from a pool of 50,000 (the first --prefixes of which a rule bans, by 6, 7
    /// or 8 leading digits), a tenth of them Xiaomi phones typed as the demo catalogue's models (the demo circular's
    /// model and pattern rules), every third with a firmware version, a tenth belonging to family members.
    /// </summary>
    private async Task GenerateAsync(BenchDatabase bench, BenchDatabase.Organisation organisation)
    {
        var watch = Stopwatch.StartNew();
        Guid xiaomi, redmi1S, circular;
        int revision;
        await using (var scope = bench.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            xiaomi = await db.Manufacturers.Where(m => m.Name == "Xiaomi").Select(m => m.Id).SingleAsync();
            redmi1S = await db.DeviceModels.Where(m => m.MarketingName == "Redmi 1S").Select(m => m.Id).SingleAsync();
            var published = await db.Circulars.Where(c => c.Status == CircularStatus.Published && c.ReferenceNumber != null)
                .OrderBy(c => c.ReferenceNumber).Select(c => new { c.Id, c.CurrentRevision!.Number }).FirstAsync();
            (circular, revision) = (published.Id, published.Number);
        }
        var random = new Random(7);
        var pool = Enumerable.Range(0, 50_000).Select(i => (35_100_000 + i * 13).ToString("D8")).ToArray();
        await using var conn = await bench.OpenAsync();
        var bannedMaker = Guid.CreateVersion7();
        await new NpgsqlCommand($"""
            INSERT INTO manufacturers (id, name, aliases, created_at) VALUES ('{bannedMaker}', 'Bench Banned Phones', ARRAY[]::text[], now());
            INSERT INTO device_rule_terms (circular_id, revision_number, position, action, manufacturer_id, whole_manufacturer, model_ids, pattern_regex, firmware_below, firmware_below_key)
            VALUES ('{circular}', {revision}, 100, 'Banned', '{bannedMaker}', false, ARRAY[]::uuid[], NULL, NULL, NULL);
            """, conn).ExecuteNonQueryAsync();
        await using (var copy = await conn.BeginBinaryImportAsync("COPY device_rule_tacs (circular_id, position, tac_prefix) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var prefix in pool.Take(options.Prefixes).Select((tac, i) => tac[..(6 + i % 3)]).Distinct())
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(circular, NpgsqlDbType.Uuid);
                await copy.WriteAsync(100, NpgsqlDbType.Integer);
                await copy.WriteAsync(prefix, NpgsqlDbType.Varchar);
            }
            await copy.CompleteAsync();
        }
        var dependents = new Dictionary<Guid, Guid>();
        await using (var read = new NpgsqlCommand("SELECT DISTINCT ON (staff_member_id) staff_member_id, id FROM dependents ORDER BY staff_member_id, id", conn))
        await using (var reader = await read.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                dependents[reader.GetGuid(0)] = reader.GetGuid(1);
        var now = DateTimeOffset.UtcNow;
        string[] notes = ["Redmi Note", "Redmi Note 4G", "Redmi 1S"];
        await using (var copy = await conn.BeginBinaryImportAsync("""
            COPY devices (id, staff_member_id, dependent_id, manufacturer_name, manufacturer_id, model, device_model_id, imei, tac, os_version, os_version_key, source, registered_at, updated_at)
            FROM STDIN (FORMAT BINARY)
            """))
        {
            for (var i = 0; i < options.Devices; i++)
            {
                var owner = organisation.StaffIds[i % organisation.StaffIds.Length];
                var tac = pool[i % pool.Length];
                var fourteen = tac + (i / pool.Length).ToString("D6");
                var xiaomiPhone = random.Next(10) == 0;
                var model = xiaomiPhone ? notes[random.Next(notes.Length)] : "Galaxy Bench";
                var os = i % 3 == 0 ? $"V5.{random.Next(6, 10)}.{random.Next(1, 30)}" : null;
                await copy.StartRowAsync();
                await copy.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
                await copy.WriteAsync(owner, NpgsqlDbType.Uuid);
                if (i % 10 == 0 && dependents.TryGetValue(owner, out var dependent)) await copy.WriteAsync(dependent, NpgsqlDbType.Uuid); else await copy.WriteNullAsync();
                await copy.WriteAsync(xiaomiPhone ? "XIAOMI INC." : "Bench Banned Phones", NpgsqlDbType.Varchar);
                await copy.WriteAsync(xiaomiPhone ? xiaomi : bannedMaker, NpgsqlDbType.Uuid);
                await copy.WriteAsync(model, NpgsqlDbType.Varchar);
                if (xiaomiPhone && model == "Redmi 1S") await copy.WriteAsync(redmi1S, NpgsqlDbType.Uuid); else await copy.WriteNullAsync();
                await copy.WriteAsync(fourteen + Imeis.CheckDigit(fourteen), NpgsqlDbType.Varchar);
                await copy.WriteAsync(tac, NpgsqlDbType.Varchar);
                if (os is null) { await copy.WriteNullAsync(); await copy.WriteNullAsync(); }
                else { await copy.WriteAsync(os, NpgsqlDbType.Varchar); await copy.WriteAsync(Versions.Key(os), NpgsqlDbType.Varchar); }
                await copy.WriteAsync("MdmImport", NpgsqlDbType.Varchar);
                await copy.WriteAsync(now, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(now, NpgsqlDbType.TimestampTz);
            }
            await copy.CompleteAsync();
        }
        await new NpgsqlCommand("ANALYZE", conn) { CommandTimeout = 600 }.ExecuteNonQueryAsync();
        Console.WriteLine($"generated {options.Devices:N0} devices and {options.Prefixes:N0} TAC prefixes: {watch.Elapsed.TotalSeconds:F1} s");
    }
}
