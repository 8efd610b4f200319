using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Npgsql;
using Portal.Web.Data;

namespace Portal.Bench;

/// <summary>
/// Streams one large evidence file through the real app's upload form (multipart over loopback HTTP,
/// hashed and type-checked on the way, renamed into the content-addressed store) and compares it with a
/// plain copy of the same file on the same disk. Also measures how much the app's resident memory grows
/// while it receives the file. See bench/README.md.
/// </summary>
public sealed partial class UploadBenchmark(UploadBenchmark.Options options)
{
    public sealed record Options(long Megabytes, string ServerConnection, string AppDll, string WorkDirectory)
    {
        public static Options Parse(string[] args)
        {
            long Long(string name, long fallback) =>
                Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? long.Parse(args[i + 1]) : fallback;
            return new Options(Long("--megabytes", 1024),
                Environment.GetEnvironmentVariable("BENCH_PG") ?? throw new InvalidOperationException("BENCH_PG is not set: run ./bench.sh upload"),
                Environment.GetEnvironmentVariable("BENCH_APP_DLL") ?? throw new InvalidOperationException("BENCH_APP_DLL is not set: run ./bench.sh upload"),
                Environment.GetEnvironmentVariable("BENCH_WORK") ?? Path.GetTempPath());
        }
    }

    public async Task<int> RunAsync()
    {
        var database = $"portal_upload_{DateTime.UtcNow:yyyyMMddHHmmss}";
        await using (var admin = new NpgsqlConnection(options.ServerConnection))
        {
            await admin.OpenAsync();
            await new NpgsqlCommand($"CREATE DATABASE {database}", admin).ExecuteNonQueryAsync();
        }
        var connection = new NpgsqlConnectionStringBuilder(options.ServerConnection) { Database = database }.ConnectionString;
        var work = Directory.CreateDirectory(Path.Combine(options.WorkDirectory, $"upload-{Guid.NewGuid():N}")).FullName;
        try
        {
            await RunAppCommandAsync(connection, "migrate");
            await RunAppCommandAsync(connection, "seed");
            var source = Path.Combine(work, "capture.pcap");
            var sha = await MakeFileAsync(source, options.Megabytes << 20);

            // The baseline: the same bytes copied to a new file on the same disk, with the same 1 MB buffer the store uses,
            // and flushed to the disk as the store flushes evidence.
            var copyTarget = Path.Combine(work, "copy.pcap");
            var watch = Stopwatch.StartNew();
            await using (var from = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 0, FileOptions.Asynchronous | FileOptions.SequentialScan))
            await using (var to = new FileStream(copyTarget, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0, FileOptions.Asynchronous))
            {
                await from.CopyToAsync(to, 1 << 20);
                // As the store does before it records evidence: the copy is on the disk, not only in the page cache.
                to.Flush(flushToDisk: true);
            }
            var copy = watch.Elapsed;
            File.Delete(copyTarget);

            var (upload, cpu, growth, storedSha) = await UploadAsync(connection, work, source);
            var mb = options.Megabytes;
            Console.WriteLine($"file: {mb} MB of random bytes behind a pcap header, SHA-256 {sha}");
            Console.WriteLine($"plain copy on the same disk: {copy.TotalMilliseconds:F0} ms ({mb / copy.TotalSeconds:F0} MB/s)");
            Console.WriteLine($"upload through the portal (HTTP, SHA-256, type check, store): {upload.TotalMilliseconds:F0} ms ({mb / upload.TotalSeconds:F0} MB/s)");
            Console.WriteLine($"portal CPU time while receiving (all threads): {cpu.TotalMilliseconds:F0} ms");
            Console.WriteLine($"portal peak memory growth while receiving (target < 64 MB): {growth / (1 << 20):F1} MB");
            Console.WriteLine($"stored SHA-256 {(storedSha == sha ? "matches the file" : "DIFFERS: " + storedSha)}");
            Console.WriteLine($"ratio: {upload / copy:F2}");
            return storedSha == sha ? 0 : 1;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(options.ServerConnection);
            await admin.OpenAsync();
            await new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", admin).ExecuteNonQueryAsync();
        }
    }

    /// <summary>A pcap global header (so the portal accepts it as a capture) followed by random bytes; returns its SHA-256.</summary>
    private static async Task<string> MakeFileAsync(string path, long length, int seed = 7)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        var random = new Random(seed);
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0, FileOptions.Asynchronous);
        for (long written = 0; written < length; written += buffer.Length)
        {
            random.NextBytes(buffer);
            if (written == 0)
                new byte[] { 0xD4, 0xC3, 0xB2, 0xA1, 0x02, 0x00, 0x04, 0x00 }.CopyTo(buffer, 0);
            var count = (int)Math.Min(buffer.Length, length - written);
            hash.AppendData(buffer, 0, count);
            await file.WriteAsync(buffer.AsMemory(0, count));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private async Task<(TimeSpan Elapsed, TimeSpan Cpu, long Growth, string? Sha)> UploadAsync(string connection, string work, string source)
    {
        var port = FreePort();
        using var app = Process.Start(new ProcessStartInfo("dotnet", [options.AppDll])
        {
            WorkingDirectory = Path.GetDirectoryName(options.AppDll)!,
            Environment =
            {
                ["ConnectionStrings__Portal"] = connection,
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
                ["Portal__BaseUrl"] = $"http://127.0.0.1:{port}",
                ["Portal__StoragePath"] = Path.Combine(work, "storage"),
                ["Portal__Evidence__MaxFileSizeMegabytes"] = (options.Megabytes + 1).ToString(),
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
            using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() })
            {
                BaseAddress = new Uri($"http://127.0.0.1:{port}"),
                Timeout = TimeSpan.FromMinutes(30),
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
            await SignInAsync(http);
            var circular = Location(await PostFormAsync(http, "/circulars/new", "/circulars/new", new()
            {
                ["Title"] = "Upload benchmark", ["Severity"] = "High", ["Tlp"] = "Clear",
                ["AcknowledgementDeadline"] = DateTime.UtcNow.AddDays(14).ToString("yyyy-MM-dd"),
                ["Summary"] = "Benchmark.", ["Background"] = "", ["RiskAssessment"] = "None.", ["Impact"] = "", ["RequiredActions"] = "None.",
                ["References"] = "", ["IncludeFamilies"] = "false", ["FamilySummary"] = "",
            }));
            var evidence = Location(await PostFormAsync(http, circular + "/evidence/new", circular + "/evidence/new", new()
            {
                ["Title"] = "Large capture", ["Lab"] = "Bench lab", ["TestedOn"] = "2026-03-02", ["DeviceTested"] = "Bench phone",
            }));
            // A server that has been up a while has compiled its upload path fully: warm it with smaller files first,
            // ... and has finished recompiling its hot methods in the background (tiered JIT): after start-up, sign-in and
            // a first upload it would do so for some seconds, on the same two cores the upload and its sender need. The
            // second round recompiles what the first one's optimised code now calls often. (Different bytes each time:
            // the same file twice on one evidence item is refused.)
            for (var round = 0; round < 2; round++)
            {
                var warmUp = Path.Combine(work, $"warm-up-{round}.pcap");
                await MakeFileAsync(warmUp, 64L << 20, seed: 8 + round);
                await PostFileAsync(http, evidence, warmUp);
                File.Delete(warmUp);
                await QuietAsync(app.Id);
            }

            var before = Rss(app.Id);
            var cpuBefore = CpuTime(app.Id);
            // Start the peak count afresh (Linux resets VmHWM on "5"), and sample too in case that is not allowed.
            try { await File.WriteAllTextAsync($"/proc/{app.Id}/clear_refs", "5"); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            long sampled = before;
            using var sampling = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    sampled = Math.Max(sampled, Rss(app.Id));
                    try { await Task.Delay(20, sampling.Token); } catch (OperationCanceledException) { }
                }
            });

            var watch = Stopwatch.StartNew();
            await PostFileAsync(http, evidence, source);
            var elapsed = watch.Elapsed;
            var cpu = CpuTime(app.Id) - cpuBefore;
            sampling.Cancel();
            await sampler;
            var peak = Math.Max(sampled, Peak(app.Id));

            await using var conn = new NpgsqlConnection(connection);
            await conn.OpenAsync();
            var stored = (string?)await new NpgsqlCommand("SELECT sha256 FROM evidence_files ORDER BY uploaded_at DESC LIMIT 1", conn).ExecuteScalarAsync();
            return (elapsed, cpu, Math.Max(0, peak - before), stored);
        }
        finally
        {
            app.Kill(entireProcessTree: true);
            await app.WaitForExitAsync();
        }
    }

    /// <summary>Uploads one file through the evidence page's form, as a browser does (its antiforgery token and version first).</summary>
    private static async Task PostFileAsync(HttpClient http, string evidence, string path)
    {
        var page = await http.GetStringAsync(evidence);
        using var form = new MultipartFormDataContent
        {
            { new StringContent(Token().Match(page).Groups[1].Value), "__RequestVerificationToken" },
            { new StringContent(VersionField().Match(page).Groups[1].Value), "Version" },
        };
        var file = new StreamContent(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.Asynchronous | FileOptions.SequentialScan), 1 << 20);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.tcpdump.pcap");
        form.Add(file, "File", Path.GetFileName(path));
        using var response = await http.PostAsync(evidence + "/files", form);
        if (response.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"The upload answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Waits (at most a minute) until the process uses under 5% of a core for a whole second.</summary>
    private static async Task QuietAsync(int pid)
    {
        var last = CpuTime(pid);
        for (var i = 0; i < 60; i++)
        {
            await Task.Delay(1000);
            var now = CpuTime(pid);
            if (now - last < TimeSpan.FromMilliseconds(50))
                return;
            last = now;
        }
    }

    /// <summary>User plus system time of a process so far (/proc/PID/stat, in clock ticks of 1/100 s).</summary>
    private static TimeSpan CpuTime(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return TimeSpan.FromMilliseconds((long.Parse(fields[11]) + long.Parse(fields[12])) * 10);
    }

    private static async Task SignInAsync(HttpClient http)
    {
        var response = await PostFormAsync(http, "/account/sign-in", "/account/sign-in",
            new() { ["Email"] = "officer@portal.example", ["Password"] = DemoData.Password });
        var next = response.Headers.Location?.OriginalString ?? throw new InvalidOperationException("Sign-in failed.");
        if (next.StartsWith("/account/two-factor", StringComparison.Ordinal))
            await PostFormAsync(http, next, next, new() { ["Code"] = Totp(DemoData.AuthenticatorKey, DateTimeOffset.UtcNow) });
    }

    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient http, string url, string formPage, Dictionary<string, string> fields)
    {
        var token = Token().Match(await http.GetStringAsync(formPage)).Groups[1].Value;
        var response = await http.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = token }));
        if (response.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"{url} answered {(int)response.StatusCode}.");
        return response;
    }

    private static string Location(HttpResponseMessage response) => response.Headers.Location!.OriginalString;

    private async Task RunAppCommandAsync(string connection, string command)
    {
        using var process = Process.Start(new ProcessStartInfo("dotnet", [options.AppDll, command])
        {
            WorkingDirectory = Path.GetDirectoryName(options.AppDll)!,
            Environment = { ["ConnectionStrings__Portal"] = connection, ["Logging__LogLevel__Default"] = "Warning" },
        })!;
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"`Portal.Web {command}` failed.");
    }

    private static long Rss(int pid) => Status(pid, "VmRSS:");

    private static long Peak(int pid) => Status(pid, "VmHWM:");

    private static long Status(int pid, string field)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line[field.Length..].Trim().Split(' ')[0]) * 1024;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>RFC 6238, as the demo officer's authenticator app computes it.</summary>
    private static string Totp(string base32Key, DateTimeOffset at)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var key = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in base32Key.TrimEnd('=').ToUpperInvariant())
        {
            buffer = (buffer << 5) | alphabet.IndexOf(c);
            bits += 5;
            if (bits >= 8)
            {
                key.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
            }
        }
        var counter = at.ToUnixTimeSeconds() / 30;
        var message = new byte[8];
        for (var i = 7; i >= 0; i--, counter >>= 8)
            message[i] = (byte)(counter & 0xff);
        var hash = HMACSHA1.HashData(key.ToArray(), message);
        var offset = hash[^1] & 0x0f;
        var code = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (code % 1_000_000).ToString("D6");
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    [GeneratedRegex("name=\"Version\" value=\"(\\d+)\"")]
    private static partial Regex VersionField();
}
