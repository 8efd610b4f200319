using System.Diagnostics;
using System.Net;

namespace Portal.Bench;

/// <summary>The published app as its own process, as in production: Release, JSON console logs at Warning, no dispatcher.</summary>
public sealed class PortalProcess : IAsyncDisposable
{
    private readonly Process process;

    private PortalProcess(Process process, int port)
    {
        this.process = process;
        Port = port;
        Http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512, AllowAutoRedirect = false, UseCookies = false })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}"),
            Timeout = TimeSpan.FromMinutes(5),
        };
    }

    public int Port { get; }
    public HttpClient Http { get; }

    /// <summary>From starting the process to its first ready answer on /health/ready (polled every 500 ms).</summary>
    public TimeSpan ReadyAfter { get; private set; }
    public int ProcessId => process.Id;

    public static async Task<PortalProcess> StartAsync(string appDll, string connection, int poolSize = 200)
    {
        var port = FreePort();
        var started = Stopwatch.StartNew();
        var process = Process.Start(new ProcessStartInfo("dotnet", [appDll])
        {
            WorkingDirectory = Path.GetDirectoryName(appDll)!,
            Environment =
            {
                ["ConnectionStrings__Portal"] = connection + $";Maximum Pool Size={poolSize}",
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
                ["Portal__BaseUrl"] = $"http://127.0.0.1:{port}",
                ["Portal__Dispatch__Enabled"] = "false",
                // Every simulated family member comes from 127.0.0.1: the per-address limit on the anonymous doors
                // (20 a minute) would refuse all but a handful of them with 429.
                ["Portal__RateLimits__AnonymousPerMinute"] = "100000000",
                ["Logging__LogLevel__Default"] = "Warning",
                ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
                ["Logging__LogLevel__Microsoft.EntityFrameworkCore"] = "Warning",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        var app = new PortalProcess(process, port);
        for (var i = 0; ; i++)
        {
            try
            {
                if ((await app.Http.GetAsync("/health/ready")).IsSuccessStatusCode)
                {
                    app.ReadyAfter = started.Elapsed;
                    break;
                }
            }
            catch (HttpRequestException) when (i < 120) { }
            if (i >= 120 || process.HasExited) throw new TimeoutException("The portal did not become ready.");
            await Task.Delay(500);
        }
        return app;
    }

    /// <summary>The highest resident memory of the process so far (VmHWM), in MB.</summary>
    public double PeakResidentMegabytes()
    {
        foreach (var line in File.ReadLines($"/proc/{process.Id}/status"))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024;
        return double.NaN;
    }

    /// <summary>
    /// With BENCH_TRACE=file, samples the app's managed stacks with dotnet-trace for BENCH_TRACE_SECONDS (default 15)
    /// into that file (read it with `dotnet-trace report file topN`); otherwise does nothing.
    /// </summary>
    public Task TraceAsync()
    {
        var file = Environment.GetEnvironmentVariable("BENCH_TRACE");
        if (string.IsNullOrEmpty(file)) return Task.CompletedTask;
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("BENCH_TRACE_SECONDS"), out var s) ? s : 15;
        var tool = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools", "dotnet-trace");
        var trace = Process.Start(new ProcessStartInfo(File.Exists(tool) ? tool : "dotnet-trace",
            ["collect", "-p", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--profile", "dotnet-sampled-thread-time",
             "--duration", TimeSpan.FromSeconds(seconds).ToString(@"dd\:hh\:mm\:ss", System.Globalization.CultureInfo.InvariantCulture), "-o", file])
        { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true })!;
        _ = trace.StandardOutput.ReadToEndAsync();
        _ = trace.StandardError.ReadToEndAsync();
        return trace.WaitForExitAsync();
    }

    /// <summary>Kills the process at once, as a crash or an OOM kill would.</summary>
    public async Task KillAsync()
    {
        if (process.HasExited) return;
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        Http.Dispose();
        process.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
