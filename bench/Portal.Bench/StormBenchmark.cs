using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Web.Data;
using Portal.Web.Features.Acknowledgements;

namespace Portal.Bench;

/// <summary>
/// The acknowledgement storm after a publication to everyone: staff acknowledge through the circular page's form
/// (signed in, with its antiforgery token), family members through their links, mixed, over many connections to
/// the real app. Then the app is killed in the middle of a second storm, started again, and everything not answered
/// is sent again, as people would: every acknowledgement must be recorded exactly once.
/// </summary>
public sealed class StormBenchmark(StormBenchmark.Options options)
{
    public sealed record Options(int Staff, int Units, int Dependents, int StaffAcks, int FamilyAcks, int Connections, string ServerConnection, string AppDll)
    {
        public static Options Parse(string[] args)
        {
            int Int(string name, int fallback) =>
                Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : fallback;
            return new Options(Int("--staff", 200_000), Int("--units", 2_000), Int("--dependents", 300_000), Int("--staff-acks", 20_000),
                Int("--family-acks", 80_000), Int("--connections", 256),
                Environment.GetEnvironmentVariable("BENCH_PG") ?? throw new InvalidOperationException("BENCH_PG is not set: run ./bench.sh storm"),
                Environment.GetEnvironmentVariable("BENCH_APP_DLL") ?? throw new InvalidOperationException("BENCH_APP_DLL is not set: run ./bench.sh storm"));
        }
    }

    private sealed record Ack(string Path, string? Cookie, string? FormToken, int? Revision, string Expected);

    public async Task<int> RunAsync()
    {
        await using var bench = await BenchDatabase.CreateAsync(options.ServerConnection);
        var organisation = await bench.GenerateOrganisationAsync(options.Units, options.Staff, options.Dependents, underDemoRoot: true);
        var accounts = await bench.CreateStaffAccountsAsync(organisation, options.StaffAcks);
        var circularId = await BenchCirculars.PublishAsync(bench, organisation);
        var revision = (int)await bench.ScalarAsync($"SELECT current_revision_number FROM circulars WHERE id = '{circularId}'");

        var acks = new List<Ack>();
        await using (var scope = bench.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            var links = scope.ServiceProvider.GetRequiredService<FamilyLinks>();
            var asked = await db.AcknowledgementRequests.AsNoTracking().Where(a => a.CircularId == circularId && a.DependentId != null)
                .OrderBy(a => a.Id).Take(options.FamilyAcks).Select(a => new { a.RevisionNumber, Dependent = a.DependentId!.Value }).ToListAsync();
            foreach (var a in asked)
            {
                var token = links.CreateToken(circularId, a.RevisionNumber, a.Dependent);
                acks.Add(new Ack($"/family/{token}", null, null, null, "/family/" + Uri.EscapeDataString(token)));
            }
        }
        var signedIn = new SignedIn(bench);
        var people = await signedIn.AccountsAsync(accounts);
        var antiforgery = bench.Services.GetRequiredService<IAntiforgery>();
        foreach (var person in people)
        {
            var (cookie, token) = FormToken(signedIn, antiforgery, person);
            acks.Add(new Ack($"/circulars/{circularId}/acknowledge", cookie, token, revision, $"/circulars/{circularId}"));
        }
        var random = new Random(7);
        var mixed = acks.OrderBy(_ => random.Next()).ToList();
        var measured = mixed.Take(mixed.Count * 6 / 10).ToList();
        var killed = mixed.Skip(measured.Count).ToList();
        Console.WriteLine($"storm: {people.Count:N0} staff through the page and {acks.Count - people.Count:N0} family links, mixed, over {options.Connections} connections");

        var app = await PortalProcess.StartAsync(options.AppDll, bench.Connection);
        try
        {
            var appCpu = CpuTime.OfProcess(app.ProcessId);
            var dbCpu = await CpuTime.OfDatabaseAsync(bench);
            var watch = Stopwatch.StartNew();
            var trace = app.TraceAsync();
            var answered = await SendAsync(app.Http, measured, stopAfter: null);
            var elapsed = watch.Elapsed;
            await trace;
            var appMs = (CpuTime.OfProcess(app.ProcessId) - appCpu).TotalMilliseconds / measured.Count;
            var dbMs = ((await CpuTime.OfDatabaseAsync(bench)) - dbCpu).TotalMilliseconds / measured.Count;
            Console.WriteLine($"acknowledgement storm: {measured.Count:N0} acknowledgements in {elapsed.TotalSeconds:F1} s ({answered.Count / elapsed.TotalSeconds:F0}/s); " +
                $"{measured.Count - answered.Count} not answered; CPU per acknowledgement {appMs:F2} ms in the web process, {dbMs:F2} ms in PostgreSQL; " +
                $"peak memory of the app {app.PeakResidentMegabytes():F0} MB");

            // The second part: the app is killed once half of it is answered, started again, and what was not answered is sent again.
            var first = await SendAsync(app.Http, killed, stopAfter: async () => await app.KillAsync());
            Console.WriteLine($"kill during the storm: {first.Count:N0} of {killed.Count:N0} answered before the app was killed");
            var recordedAtKill = await bench.ScalarAsync($"SELECT count(*) FROM acknowledgement_requests WHERE circular_id = '{circularId}' AND acknowledged_at IS NOT NULL");
            await app.DisposeAsync();
            app = await PortalProcess.StartAsync(options.AppDll, bench.Connection);
            var again = await SendAsync(app.Http, killed.Where(a => !first.ContainsKey(a.Path + a.Cookie)).ToList(), stopAfter: null);
            var notAnswered = measured.Count - answered.Count + killed.Count - first.Count - again.Count;
            await using var conn = await bench.OpenAsync();
            var staffRecorded = await bench.ScalarAsync($"SELECT count(*) FROM acknowledgement_requests WHERE circular_id = '{circularId}' AND channel = 'Portal'");
            var familyRecorded = await bench.ScalarAsync($"SELECT count(*) FROM acknowledgement_requests WHERE circular_id = '{circularId}' AND channel = 'FamilyLink'");
            var tallied = await bench.ScalarAsync($"SELECT coalesce(sum(staff_acknowledged + family_acknowledged), 0) FROM acknowledgement_tallies WHERE circular_id = '{circularId}'");
            Console.WriteLine($"after the restart: {again.Count:N0} sent again and answered; recorded {staffRecorded:N0} staff and {familyRecorded:N0} family " +
                $"acknowledgements (tallies: {tallied:N0}); {recordedAtKill - answered.Count - first.Count:N0} had been recorded but not answered when the app died");
            var exact = notAnswered == 0 && staffRecorded == people.Count && familyRecorded == acks.Count - people.Count && tallied == acks.Count;
            Console.WriteLine(exact ? "acknowledgement storm: every acknowledgement recorded exactly once, nothing lost to the kill" : "acknowledgement storm: MISMATCH");
            return exact ? 0 : 1;
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    /// <summary>The sign-in cookie with the antiforgery cookie, and the form token, as the circular page would have given them.</summary>
    private static (string Cookie, string Token) FormToken(SignedIn signedIn, IAntiforgery antiforgery, SignedIn.Account person)
    {
        var cookie = signedIn.Cookie(person);
        var context = new DefaultHttpContext { RequestServices = signedIn.Services, User = signedIn.Principal(person) };
        var tokens = antiforgery.GetAndStoreTokens(context);
        return ($"{cookie}; portal.antiforgery={tokens.CookieToken}", tokens.RequestToken!);
    }

    /// <summary>
    /// Sends the acknowledgements over the connections; returns those answered with the expected redirect. With
    /// <paramref name="stopAfter"/>, runs it once half are answered and stops sending.
    /// </summary>
    private async Task<ConcurrentDictionary<string, bool>> SendAsync(HttpClient http, List<Ack> acks, Func<Task>? stopAfter)
    {
        var answered = new ConcurrentDictionary<string, bool>();
        using var stop = new CancellationTokenSource();
        var stopping = 0;
        try
        {
            await Parallel.ForEachAsync(acks, new ParallelOptions { MaxDegreeOfParallelism = options.Connections, CancellationToken = stop.Token }, async (ack, ct) =>
            {
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, ack.Path);
                    if (ack.Cookie is not null)
                    {
                        request.Headers.Add("Cookie", ack.Cookie);
                        request.Content = new FormUrlEncodedContent([new("Revision", ack.Revision!.Value.ToString()), new("__RequestVerificationToken", ack.FormToken!)]);
                    }
                    using var response = await http.SendAsync(request, ct);
                    if (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.OriginalString == ack.Expected)
                        answered[ack.Path + ack.Cookie] = true;
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or OperationCanceledException) { }
                if (stopAfter is not null && answered.Count >= acks.Count / 2 && Interlocked.Exchange(ref stopping, 1) == 0)
                {
                    await stopAfter();
                    await stop.CancelAsync();
                }
            });
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested) { }
        return answered;
    }
}
