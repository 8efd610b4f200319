using System.Diagnostics;
using Npgsql;

namespace Portal.Tests.Support;

/// <summary>Runs the repository's own scripts (scripts/*.sh) as the operator would, against the test's database.</summary>
public static class Shell
{
    /// <summary>The checkout: the first directory above the test binaries that holds scripts/backup.sh.</summary>
    public static string Repository { get; } = FindRepository();

    public static string Script(string name) => Path.Combine(Repository, "scripts", name);

    /// <summary>PGHOST, PGPORT, PGUSER and PGDATABASE for a database of the test server.</summary>
    public static Dictionary<string, string> PostgresEnvironment(string connectionString)
    {
        var c = new NpgsqlConnectionStringBuilder(connectionString);
        return new()
        {
            ["PGHOST"] = c.Host!, ["PGPORT"] = c.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PGUSER"] = c.Username!, ["PGDATABASE"] = c.Database!,
        };
    }

    public static async Task<(int Exit, string Output, string Errors)> RunAsync(string file, IEnumerable<string> args, IReadOnlyDictionary<string, string> env)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Repository };
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (k, v) in env) info.Environment[k] = v;
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish: {await errors}");
        }
        return (process.ExitCode, await output, await errors);
    }

    private static string FindRepository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "scripts", "backup.sh")))
                return dir.FullName;
        throw new InvalidOperationException("The tests run from inside the checkout (scripts/backup.sh not found above " + AppContext.BaseDirectory + ").");
    }
}
