using System.Diagnostics;
using System.Net.Sockets;

namespace Portal.Tests;

/// <summary>
/// The app as shipped: the published output when ./test.sh made one (PORTAL_PUBLISHED, the same
/// `dotnet publish` the Dockerfile runs), else the build beside the tests. Started as a process.
/// </summary>
public sealed class StartupTests
{
    private static string AppDll =>
        Environment.GetEnvironmentVariable("PORTAL_PUBLISHED") ?? Path.Combine(AppContext.BaseDirectory, "Portal.Web.dll");

    [Fact]
    public async Task An_unreachable_database_stops_the_app_with_one_clear_line()
    {
        var (exit, output, errors) = await RunAsync([], new() { ["ConnectionStrings__Portal"] = $"Host=127.0.0.1;Port={FreePort()};Database=portal;Username=portal;Timeout=3" });

        exit.ShouldBe(1);
        var lines = errors.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(1, errors + output);
        lines[0].ShouldStartWith("portal: cannot reach the database portal at 127.0.0.1:");
    }

    [Fact]
    public async Task An_invalid_setting_stops_the_app_with_one_clear_line()
    {
        var database = await TestDatabases.CreateAsync();
        try
        {
            var (exit, _, errors) = await RunAsync([], new()
            {
                ["ConnectionStrings__Portal"] = TestDatabases.For(database),
                ["Portal__Smtp__Port"] = "99999",
                ["Portal__BaseUrl"] = "not a url",
            });

            exit.ShouldBe(1);
            errors.Trim().Split('\n').Length.ShouldBe(1, errors);
            errors.ShouldStartWith("portal: invalid configuration:");
            errors.ShouldContain("Port");
            errors.ShouldContain("BaseUrl");
        }
        finally
        {
            await TestDatabases.DropAsync(database);
        }
    }

    [Fact]
    public async Task A_missing_connection_string_is_named()
    {
        var (exit, _, errors) = await RunAsync([], new() { ["ConnectionStrings__Portal"] = "" });
        exit.ShouldBe(1);
        errors.Trim().ShouldBe("portal: ConnectionStrings:Portal is not set (environment variable ConnectionStrings__Portal).");
    }

    [Fact]
    public async Task Outside_development_the_app_refuses_to_start_without_a_key_ring_certificate()
    {
        var unset = new Dictionary<string, string>
        {
            ["ConnectionStrings__Portal"] = "Host=127.0.0.1;Database=portal;Username=portal",
            ["Portal__DataProtection__CertificatePath"] = "",
        };

        var production = await RunAsync(["model-sql"], new(unset) { ["ASPNETCORE_ENVIRONMENT"] = "Production" });
        var development = await RunAsync(["model-sql"], new(unset) { ["ASPNETCORE_ENVIRONMENT"] = "Development" });
        var wrongPassword = await RunAsync(["model-sql"], new(unset)
        {
            ["Portal__DataProtection__CertificatePath"] = TestCertificate.Path,
            ["Portal__DataProtection__CertificatePassword"] = "not the password",
        });

        production.Exit.ShouldBe(1);
        production.Errors.Trim().Split('\n').Length.ShouldBe(1, production.Errors);
        production.Errors.ShouldStartWith("portal: Portal:DataProtection:CertificatePath is not set");
        production.Errors.ShouldContain("this is Production");
        development.Exit.ShouldBe(0, development.Errors);
        development.Output.ShouldContain("CREATE TABLE");
        wrongPassword.Exit.ShouldBe(1);
        wrongPassword.Errors.Trim().Split('\n').Length.ShouldBe(1, wrongPassword.Errors);
        wrongPassword.Errors.ShouldContain("is not a PKCS#12 file this password");
    }

    [Fact]
    public async Task The_shipped_app_migrates_a_new_database_then_serves_pages_styles_and_health()
    {
        var database = await TestDatabases.CreateEmptyAsync();
        var port = FreePort();
        var env = new Dictionary<string, string> { ["ConnectionStrings__Portal"] = TestDatabases.For(database) };
        try
        {
            var (migrated, output, errors) = await RunAsync(["migrate"], env);
            migrated.ShouldBe(0, errors);
            output.ShouldContain("Applied");
            (await RunAsync(["seed"], env)).Exit.ShouldBe(0);
            // The tests' own accounts are hashed with fewer iterations (PortalFactory); the shipped app's are not.
            (await LowestPasswordIterationsAsync(database)).ShouldBeGreaterThanOrEqualTo(100_000);

            using var app = Start(["--urls", $"http://127.0.0.1:{port}"], env);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var ready = await PollAsync(() => http.GetAsync("/health/ready"));
            ready.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await http.GetAsync("/account/sign-in")).StatusCode.ShouldBe(HttpStatusCode.OK);
            var css = await http.GetAsync("/css/site.css");
            css.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await css.Content.ReadAsStringAsync()).ShouldContain("--accent");
            app.Kill(entireProcessTree: true);
        }
        finally
        {
            await TestDatabases.DropAsync(database);
        }
    }

    /// <summary>The smallest PBKDF2 iteration count among the stored password hashes (Identity's format 3: a marker
    /// byte, then the pseudo-random function, the iteration count and the salt length as big-endian integers).</summary>
    private static async Task<int> LowestPasswordIterationsAsync(string database)
    {
        await using var connection = new Npgsql.NpgsqlConnection(TestDatabases.For(database));
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT password_hash FROM users WHERE password_hash IS NOT NULL", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var lowest = int.MaxValue;
        while (await reader.ReadAsync())
        {
            var hash = Convert.FromBase64String(reader.GetString(0));
            hash[0].ShouldBe((byte)0x01);
            lowest = Math.Min(lowest, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(hash.AsSpan(5, 4)));
        }
        lowest.ShouldNotBe(int.MaxValue, "the seed stored no password");
        return lowest;
    }

    private static async Task<HttpResponseMessage> PollAsync(Func<Task<HttpResponseMessage>> call)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (HttpRequestException) when (attempt < 100)
            {
                await Task.Delay(200);
            }
        }
    }

    private static Process Start(string[] args, Dictionary<string, string> env)
    {
        var process = Process.Start(StartInfo(args, env))!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static ProcessStartInfo StartInfo(string[] args, Dictionary<string, string> env)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(AppDll)! };
        info.ArgumentList.Add(AppDll);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["Logging__Console__FormatterName"] = "simple";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (k, v) in TestCertificate.Settings("__")) info.Environment[k] = v;
        foreach (var (k, v) in env) info.Environment[k] = v;
        return info;
    }

    private static async Task<(int Exit, string Output, string Errors)> RunAsync(string[] args, Dictionary<string, string> env)
    {
        using var process = Process.Start(StartInfo(args, env))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await errors);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
