using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Features.Acknowledgements;
using Portal.Web.Features.Circulars;

namespace Portal.Bench;

/// <summary>
/// The pages people wait for at the peak, against the real app: a circular's page as staff, the circular list,
/// the inbox and the family link page, each compared with a bare endpoint (one Npgsql query, HTML out).
/// </summary>
public sealed class PagesBenchmark(PagesBenchmark.Options options)
{
    public sealed record Options(int Staff, int Units, int Dependents, int SignedIn, int Connections, int Seconds, string ServerConnection, string AppDll)
    {
        public static Options Parse(string[] args)
        {
            int Int(string name, int fallback) =>
                Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : fallback;
            return new Options(Int("--staff", 200_000), Int("--units", 2_000), Int("--dependents", 300_000), Int("--signed-in", 200),
                Int("--connections", 64), Int("--seconds", 10),
                Environment.GetEnvironmentVariable("BENCH_PG") ?? throw new InvalidOperationException("BENCH_PG is not set: run ./bench.sh pages"),
                Environment.GetEnvironmentVariable("BENCH_APP_DLL") ?? throw new InvalidOperationException("BENCH_APP_DLL is not set: run ./bench.sh pages"));
        }
    }

    public async Task<int> RunAsync()
    {
        await using var bench = await BenchDatabase.CreateAsync(options.ServerConnection);
        var organisation = await bench.GenerateOrganisationAsync(options.Units, options.Staff, options.Dependents, underDemoRoot: true);
        var accounts = await bench.CreateStaffAccountsAsync(organisation, options.SignedIn);
        var circularId = await BenchCirculars.PublishAsync(bench, organisation);
        var familyTokens = await FamilyTokensAsync(bench, circularId, options.SignedIn);
        var work = Path.Combine(Path.GetTempPath(), $"portal-pages-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);

        await using var app = await PortalProcess.StartAsync(options.AppDll, bench.Connection);
        await using var bare = await BareEndpoint.StartAsync(bench.Connection);
        var signedIn = new SignedIn(bench);
        var people = await signedIn.AccountsAsync(accounts);
        var appUrl = $"http://127.0.0.1:{app.Port}";

        async Task<List<(string, string?)>> AsStaff(string path, string mustContain, PortalProcess? on = null)
        {
            var targets = new List<(string, string?)>();
            foreach (var person in people)
            {
                var (cookie, _, html) = await SignedIn.OpenAsync((on ?? app).Http, path, signedIn.Cookie(person));
                if (!html.Contains(mustContain, StringComparison.Ordinal))
                    throw new InvalidOperationException($"GET {path} as {person.Email} does not show “{mustContain}”.");
                targets.Add((path, cookie));
            }
            return targets;
        }

        var title = await bench.Services.CreateAsyncScope().ServiceProvider.GetRequiredService<PortalDbContext>()
            .CircularRevisions.Where(r => r.CircularId == circularId).OrderByDescending(r => r.Number).Select(r => r.Text.Title).FirstAsync();
        var encodedTitle = System.Net.WebUtility.HtmlEncode(title);
        var results = new List<Wrk.Result>();
        var only = Environment.GetEnvironmentVariable("BENCH_ONLY");
        var cold = Environment.GetEnvironmentVariable("BENCH_COLD") is { Length: > 0 };
        Console.WriteLine($"the app was ready {app.ReadyAfter.TotalSeconds:F1} s after its process started");
        async Task Measure(string name, string baseUrl, Func<Task<List<(string, string?)>>> targets, int? processId = null)
        {
            if (only is not null && results.Count > 0 && processId is null && !name.Contains(only, StringComparison.OrdinalIgnoreCase))
                return;
            // Cookies are minted just before each page: see SignedIn.
            var list = await targets();
            var pid = processId ?? (baseUrl == appUrl ? app.ProcessId : Environment.ProcessId);
            // BENCH_COLD: the app's pages as a freshly started server meets them (after a deploy, or a restart during the
            // storm): no warm-up, three consecutive runs printed, the first kept (decision 0057).
            if (cold && pid != Environment.ProcessId)
            {
                TimeSpan JitCpu() => CpuTime.OfTieredCompiler(pid).Values.Aggregate(TimeSpan.Zero, (a, b) => a + b);
                var compiler = JitCpu();
                for (var round = 1; round <= 3; round++)
                {
                    var run = await Wrk.RunAsync(name, baseUrl, list, options.Connections, options.Seconds, work);
                    var nowCompiler = JitCpu();
                    Console.WriteLine($"  {name}, cold, seconds {(round - 1) * options.Seconds}-{round * options.Seconds} of load: {run.RequestsPerSecond:F0} requests/s, " +
                        $"p50 {run.P50Ms:F1} ms, p99 {run.P99Ms:F1} ms; tiered JIT threads {(nowCompiler - compiler).TotalSeconds:F1} s of CPU");
                    compiler = nowCompiler;
                    if (round == 1)
                        results.Add(run);
                }
                return;
            }
            var warmedFor = await Wrk.WarmUpAsync(name, baseUrl, list, options.Connections, Math.Max(3, options.Seconds / 2), work, pid);
            var appCpu = CpuTime.OfProcess(pid);
            var dbCpu = await CpuTime.OfDatabaseAsync(bench);
            // BENCH_TRACE samples the first page after the bare endpoint (the circular page, or the one BENCH_ONLY names).
            var trace = baseUrl == appUrl && results.Count == 1 ? app.TraceAsync() : Task.CompletedTask;
            var result = await Wrk.RunAsync(name, baseUrl, list, options.Connections, options.Seconds, work);
            await trace;
            var appMs = (CpuTime.OfProcess(pid) - appCpu).TotalMilliseconds / result.Requests;
            var dbMs = ((await CpuTime.OfDatabaseAsync(bench)) - dbCpu).TotalMilliseconds / result.Requests;
            Console.WriteLine($"  {name}: {result.RequestsPerSecond:F0} requests/s, p50 {result.P50Ms:F1} ms, p99 {result.P99Ms:F1} ms; " +
                $"CPU per request: {appMs:F2} ms in the web process, {dbMs:F2} ms in PostgreSQL (warmed up {warmedFor.TotalSeconds:F0} s)");
            results.Add(result);
        }

        Console.WriteLine($"measuring: wrk, 1 thread, {options.Connections} connections, {options.Seconds} s each after a warm-up; {people.Count} signed-in staff");
        await Measure("bare endpoint (one Npgsql query)", bare.BaseUrl, () => Task.FromResult(new List<(string, string?)> { ($"/circulars/{circularId}", null) }));
        await Measure("circular page as staff", appUrl, () => AsStaff($"/circulars/{circularId}", encodedTitle));
        await Measure("circular list", appUrl, () => AsStaff("/circulars", encodedTitle));
        await Measure("inbox", appUrl, () => AsStaff("/inbox", "Inbox"));
        await Measure("family link page", appUrl, () => Task.FromResult(familyTokens.Select(t => ($"/family/{t}", (string?)null)).ToList()));
        var rss = app.PeakResidentMegabytes();
        // BENCH_COMPARE=other/Portal.Web.dll: the circular page of another build (say, main's) against the same database, alternating
        // with this one twice, so that both meet the same load on a shared machine.
        if (Environment.GetEnvironmentVariable("BENCH_COMPARE") is { Length: > 0 } otherDll)
        {
            await using var other = await PortalProcess.StartAsync(otherDll, bench.Connection);
            var otherUrl = $"http://127.0.0.1:{other.Port}";
            for (var round = 1; round <= 2; round++)
            {
                await Measure($"circular page, compared build, round {round}", otherUrl, () => AsStaff($"/circulars/{circularId}", encodedTitle, other), other.ProcessId);
                await Measure($"circular page, this build, round {round}", appUrl, () => AsStaff($"/circulars/{circularId}", encodedTitle), app.ProcessId);
            }
        }
        Directory.Delete(work, true);

        var baseline = results[0].RequestsPerSecond;
        Console.WriteLine();
        Console.WriteLine($"{"page",-36} {"requests/s",10} {"p50 ms",8} {"p99 ms",8} {"ratio",6}");
        foreach (var r in results)
            Console.WriteLine($"{r.Name,-36} {r.RequestsPerSecond,10:F0} {r.P50Ms,8:F1} {r.P99Ms,8:F1} {r.RequestsPerSecond / baseline,6:F2}");
        Console.WriteLine($"peak resident memory of the app: {rss:F0} MB (target 400 MB)");
        var page = results.Count > 1 ? results[1] : results[0];
        Console.WriteLine($"circular page p99 at {options.Connections} connections: {page.P99Ms:F1} ms (target < 50 ms)");
        Console.WriteLine($"ratio: {page.RequestsPerSecond / baseline:F2}");
        return 0;
    }

    private static async Task<List<string>> FamilyTokensAsync(BenchDatabase bench, Guid circularId, int count)
    {
        await using var scope = bench.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var links = scope.ServiceProvider.GetRequiredService<FamilyLinks>();
        var asked = await db.AcknowledgementRequests.AsNoTracking().Where(a => a.CircularId == circularId && a.DependentId != null)
            .OrderBy(a => a.Id).Take(count).Select(a => new { a.RevisionNumber, Dependent = a.DependentId!.Value }).ToListAsync();
        return asked.Select(a => links.CreateToken(circularId, a.RevisionNumber, a.Dependent)).ToList();
    }
}

/// <summary>
/// Circulars as people meet them: the demo's realistic text, rules and sources, published to the whole
/// organisation through the approver's path, then amended once (a minor revision), with their audit history;
/// and two smaller ones, so the list has more than one.
/// </summary>
internal static class BenchCirculars
{
    public static async Task<Guid> PublishAsync(BenchDatabase bench, BenchDatabase.Organisation organisation)
    {
        await using var scope = bench.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var publication = scope.ServiceProvider.GetRequiredService<Publication>();
        var officer = (await db.Users.SingleAsync(u => u.Email == "officer@portal.example")).Id;
        var approver = (await db.Users.SingleAsync(u => u.Email == "approver@portal.example")).Id;
        var demo = await db.CircularRevisions.AsNoTracking().Where(r => r.Text.Title == DemoData.PublishedCircularTitle)
            .OrderByDescending(r => r.Number).FirstAsync();
        var wholeOrganisation = await db.Units.Where(u => u.ParentId == null).Select(u => u.Id).SingleAsync();
        var now = DateTimeOffset.UtcNow;
        var content = demo.Text with
        {
            Title = demo.Text.Title + " (bench)", Tlp = TlpLabel.Green, AcknowledgementDeadline = DateOnly.FromDateTime(now.UtcDateTime).AddDays(14), IncludeFamilies = true,
        };

        Guid main = Guid.Empty;
        foreach (var (suffix, audience) in new[] { ("", wholeOrganisation), (" – second", organisation.Squadrons[0]), (" – third", organisation.Squadrons[^1]) })
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            var circular = Circular.Draft(content with { Title = content.Title + suffix }, officer, now.AddDays(-3));
            db.Circulars.Add(circular);
            db.Audit(circular, "Drafted", officer, now.AddDays(-3));
            foreach (var rule in demo.Rules)
            {
                circular.AddRule(rule.ManufacturerId, rule.DeviceModelId, rule.ModelPattern, rule.TacPrefixes, rule.FirmwareBelow, rule.Action, rule.Note, officer, now.AddDays(-3));
                db.Audit(circular, "RuleAdded", officer, now.AddDays(-3), rule.ManufacturerName);
            }
            foreach (var source in demo.Sources)
            {
                circular.AddSource(source.Kind, source.Identifier, source.Title, source.Url, officer, now.AddDays(-3));
                db.Audit(circular, "SourceAdded", officer, now.AddDays(-3), source.Identifier);
            }
            circular.AddAudienceUnit(audience, officer, now.AddDays(-3));
            circular.Submit(officer, now.AddDays(-2));
            db.Audit(circular, "Submitted", officer, now.AddDays(-2));
            await db.SaveChangesAsync();
            circular.Approve(approver, now.AddDays(-2), publishAt: null);
            db.Audit(circular, "Approved", approver, now.AddDays(-2));
            await publication.PublishAsync(circular, approver, now.AddDays(-2), default);
            await db.SaveChangesAsync();

            circular.StartAmendment(officer, now.AddDays(-1));
            db.Audit(circular, "AmendmentStarted", officer, now.AddDays(-1));
            circular.Revise(content with { Title = content.Title + suffix, Background = content.Background + "\n\n**Update.** The vendor's statement is noted; the ban stays until the lab re-tests." },
                officer, now.AddDays(-1));
            circular.Submit(officer, now.AddDays(-1), "Noted the vendor's statement.", RevisionKind.Minor);
            db.Audit(circular, "AmendmentSubmitted", officer, now.AddDays(-1));
            await db.SaveChangesAsync();
            circular.Approve(approver, now.AddHours(-12), publishAt: null);
            db.Audit(circular, "Approved", approver, now.AddHours(-12));
            await publication.PublishAsync(circular, approver, now.AddHours(-12), default);
            await db.SaveChangesAsync();
            await tx.CommitAsync();
            if (main == Guid.Empty) main = circular.Id;
        }
        await using (var conn = await bench.OpenAsync())
            await new Npgsql.NpgsqlCommand("ANALYZE", conn).ExecuteNonQueryAsync();
        return main;
    }
}

/// <summary>CPU time spent by a process, and by the PostgreSQL backends serving the bench database: a figure that a busy machine disturbs less than requests per second.</summary>
internal static class CpuTime
{
    private static readonly double TicksPerSecond = 100;

    public static TimeSpan OfProcess(int pid) => Of($"/proc/{pid}/stat");

    private static TimeSpan Of(string statPath)
    {
        try
        {
            var stat = File.ReadAllText(statPath);
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return TimeSpan.FromSeconds((long.Parse(fields[11]) + long.Parse(fields[12])) / TicksPerSecond);
        }
        catch (IOException)
        {
            return TimeSpan.Zero;
        }
    }

    /// <summary>CPU time of the process's tiered-compilation threads (".NET Tiered Com") by thread id: while they work, the code measured is not yet the code that will run.</summary>
    public static Dictionary<string, TimeSpan> OfTieredCompiler(int pid)
    {
        var threads = new Dictionary<string, TimeSpan>();
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                try
                {
                    if (File.ReadAllText(Path.Combine(task, "comm")).Trim().StartsWith(".NET Tiered Com", StringComparison.Ordinal))
                        threads[Path.GetFileName(task)] = Of(Path.Combine(task, "stat"));
                }
                catch (IOException)
                {
                    // The thread ended while being read.
                }
            }
        }
        catch (IOException)
        {
            // The process ended.
        }
        return threads;
    }

    public static async Task<TimeSpan> OfDatabaseAsync(BenchDatabase bench)
    {
        var pids = new List<int>();
        await using (var conn = await bench.OpenAsync())
        await using (var cmd = new Npgsql.NpgsqlCommand("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()", conn))
        await using (var reader = await cmd.ExecuteReaderAsync())
            while (await reader.ReadAsync()) pids.Add(reader.GetInt32(0));
        return pids.Aggregate(TimeSpan.Zero, (total, pid) => total + OfProcess(pid));
    }
}
