using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Portal.Bench;

/// <summary>
/// Debian's wrk against one page: GET requests cycling through the given (path, cookie) pairs, so many
/// signed-in people (or family links) are served, not one. Fails if any answer is not 2xx or 3xx.
/// </summary>
public static partial class Wrk
{
    public sealed record Result(string Name, double RequestsPerSecond, double P50Ms, double P99Ms, long Requests);

    /// <summary>
    /// Warms up until the serving process's tiered JIT has settled: on two shared cores it was still recompiling (with
    /// dynamic PGO's instrumented code running meanwhile) 25 s into the load, and a 10-second run measured that (the
    /// circular page: 336 pages/s and 4.15 ms of CPU each, against 592/s and 2.04 ms once settled; decision 0064).
    /// <paramref name="seconds"/> first, then rounds of 5 s until the JIT threads used under 2% of a round, at most a
    /// minute. Answers how long it took. With dynamic PGO off (decision 0057) the app's JIT settles within 10-20 s of
    /// load; another publish (BENCH_APP_DLL) may take the whole minute.
    /// </summary>
    public static async Task<TimeSpan> WarmUpAsync(string name, string baseUrl, IReadOnlyList<(string Path, string? Cookie)> targets,
        int connections, int seconds, string workDirectory, int processId, string? authorization = null)
    {
        var warmup = Stopwatch.StartNew();
        await RunAsync(name, baseUrl, targets, connections, seconds, workDirectory, authorization);
        for (var round = 0; round < 12; round++)
        {
            var before = CpuTime.OfTieredCompiler(processId);
            await RunAsync(name, baseUrl, targets, connections, 5, workDirectory, authorization);
            var after = CpuTime.OfTieredCompiler(processId);
            // The runtime starts the thread when there is work and ends it when idle: the same threads, barely used.
            if (before.Keys.ToHashSet().SetEquals(after.Keys) && after.Sum(t => (t.Value - before[t.Key]).TotalMilliseconds) < 100)
                break;
        }
        return warmup.Elapsed;
    }

    /// <param name="authorization">An Authorization header sent with every request (an API client's bearer token), or none.</param>
    public static async Task<Result> RunAsync(string name, string baseUrl, IReadOnlyList<(string Path, string? Cookie)> targets,
        int connections, int seconds, string workDirectory, string? authorization = null)
    {
        var list = Path.Combine(workDirectory, $"wrk-{Guid.NewGuid():N}.txt");
        await File.WriteAllLinesAsync(list, targets.Select(t => $"{t.Path}\t{t.Cookie ?? ""}"));
        var script = Path.Combine(workDirectory, $"wrk-{Guid.NewGuid():N}.lua");
        await File.WriteAllTextAsync(script, $$"""
            local targets = {}
            for line in io.lines("{{list}}") do
              local path, cookie = line:match("^([^\t]*)\t(.*)$")
              targets[#targets + 1] = { path = path, cookie = cookie }
            end
            local authorization = [[{{authorization ?? ""}}]]
            local i = math.random(#targets)
            request = function()
              i = i % #targets + 1
              local t = targets[i]
              local headers = {}
              if t.cookie ~= "" then headers["Cookie"] = t.cookie end
              if authorization ~= "" then headers["Authorization"] = authorization end
              return wrk.format("GET", t.path, headers)
            end
            """);
        var output = await RunWrkAsync(baseUrl, script, connections, seconds);
        var rps = double.Parse(RequestsPerSecond().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var requests = long.Parse(Requests().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        if (NonSuccess().Match(output) is { Success: true } bad)
            throw new InvalidOperationException($"{name}: {bad.Groups[1].Value} answers were not 2xx or 3xx:\n{output}");
        if (SocketErrors().Match(output) is { Success: true } errors)
            throw new InvalidOperationException($"{name}: socket errors ({errors.Value}):\n{output}");
        return new Result(name, rps, Percentile(output, "50"), Percentile(output, "99"), requests);
    }

    private static async Task<string> RunWrkAsync(string baseUrl, string script, int connections, int seconds)
    {
        using var wrk = Process.Start(new ProcessStartInfo("wrk",
            ["-t1", $"-c{connections}", $"-d{seconds}s", "--latency", "--timeout", "10s", "-s", script, baseUrl])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = await wrk.StandardOutput.ReadToEndAsync();
        var error = await wrk.StandardError.ReadToEndAsync();
        await wrk.WaitForExitAsync();
        if (wrk.ExitCode != 0)
            throw new InvalidOperationException($"wrk failed ({wrk.ExitCode}): {error}{output}");
        return output;
    }

    private static double Percentile(string output, string which)
    {
        var match = Regex.Match(output, $@"^\s+{which}%\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex Requests();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex NonSuccess();

    [GeneratedRegex(@"Socket errors: [^\n]*")]
    private static partial Regex SocketErrors();
}
