using System.Collections.Concurrent;
using System.Diagnostics;

namespace Portal.Tests.Support;

/// <summary>
/// The published app (PORTAL_PUBLISHED, the Dockerfile's `dotnet publish`), or nginx, started as a process
/// and killed with its children when disposed, when the test run ends, or if it never got ready.
/// </summary>
public sealed class ShippedApp : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<int, Process> Running = new();

    static ShippedApp() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (var process in Running.Values)
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
    };

    private readonly Process _process;

    private ShippedApp(Process process, int port)
    {
        _process = process;
        Port = port;
        Running[process.Id] = process;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) Output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static string AppDll =>
        Environment.GetEnvironmentVariable("PORTAL_PUBLISHED") ?? Path.Combine(AppContext.BaseDirectory, "Portal.Web.dll");

    public int Port { get; }
    public Uri Url => new($"http://127.0.0.1:{Port}");

    /// <summary>Every line the process wrote, stdout and stderr.</summary>
    public ConcurrentQueue<string> Output { get; } = new();

    /// <summary>Starts the portal on <paramref name="port"/> and waits until /health/ready answers.</summary>
    public static async Task<ShippedApp> StartPortalAsync(int port, IReadOnlyDictionary<string, string> env)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(AppDll)! };
        info.ArgumentList.Add(AppDll);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{port}");
        foreach (var (k, v) in TestCertificate.Settings("__")) info.Environment[k] = v;
        foreach (var (k, v) in env) info.Environment[k] = v;
        var app = new ShippedApp(Process.Start(info)!, port);
        await app.WaitUntilAnsweringAsync("/health/ready");
        return app;
    }

    /// <summary>scripts/balancer.sh: nginx on <paramref name="port"/> in front of the given instances.</summary>
    public static async Task<ShippedApp> StartBalancerAsync(string directory, int port, int[] upstreams, IReadOnlyDictionary<string, string>? env = null)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Shell.Repository };
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) info.Environment[k] = v;
        info.ArgumentList.Add(Shell.Script("balancer.sh"));
        info.ArgumentList.Add(directory);
        info.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var upstream in upstreams) info.ArgumentList.Add(upstream.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var balancer = new ShippedApp(Process.Start(info)!, port);
        await balancer.WaitUntilAnsweringAsync("/health/live");
        return balancer;
    }

    private async Task WaitUntilAnsweringAsync(string path)
    {
        using var http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(5) };
        for (var attempt = 0; ; attempt++)
        {
            if (_process.HasExited)
                break;
            try
            {
                if ((await http.GetAsync(path)).StatusCode == HttpStatusCode.OK)
                    return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }
            if (attempt > 1500) break; // five minutes: a guard against a hang, generous for a loaded machine
            await Task.Delay(200);
        }
        await DisposeAsync();
        throw new InvalidOperationException($"{_process.StartInfo.FileName} on port {Port} did not get ready:\n{string.Join('\n', Output)}");
    }

    public async ValueTask DisposeAsync()
    {
        Running.TryRemove(_process.Id, out _);
        try
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }

    public static int FreePort() => SmtpSink.FreePort();
}
