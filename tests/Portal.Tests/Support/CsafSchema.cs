using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Portal.Tests.Support;

/// <summary>
/// Checks what the portal publishes against the official CSAF 2.0 schemas. They mix draft 2020-12 (CSAF)
/// with draft-04 and draft-07 (the CVSS schemas they reference); of the .NET libraries that restore here,
/// JsonSchema.Net 8 reads no draft-04 and NJsonSchema no 2020-12, so this runs tests/csaf/validate.mjs
/// (ajv under node, which reads all of them); ./test.sh installs its packages and sets PORTAL_CSAF_VALIDATOR.
/// </summary>
public static class CsafSchema
{
    public const string Document = "document";
    public const string Provider = "provider";

    private const string InstallHint = "run `npm ci --prefix tests/csaf` (./test.sh does)";
    // A node process per document; at load 50+ it took over a minute (a guard against a hang, not a timing).
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);
    private static readonly Lazy<string> Validator = new(LocateValidator);

    /// <summary>The schema errors of <paramref name="json"/>, one "/instance/path message" line each; empty when valid.</summary>
    /// <param name="kind">"document" (a CSAF advisory) or "provider" (provider-metadata.json).</param>
    public static async Task<IReadOnlyList<string>> ErrorsAsync(string kind, string json)
    {
        if (kind is not (Document or Provider))
            throw new ArgumentOutOfRangeException(nameof(kind), kind, $"Expected \"{Document}\" or \"{Provider}\".");

        var validator = Validator.Value;
        var file = Path.Combine(Path.GetTempPath(), $"csaf-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, json);
        try
        {
            var (exit, output, errors) = await RunNodeAsync(validator, kind, file);
            var prefix = file + ": ";
            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            // Anything but "valid" or "invalid with reasons" means the validator itself failed, which
            // must not read as a verdict on the document.
            return (exit, lines.Length) switch
            {
                (0, 0) => [],
                (1, > 0) when lines.All(l => l.StartsWith(prefix, StringComparison.Ordinal)) => [.. lines.Select(l => l[prefix.Length..])],
                _ => throw new InvalidOperationException(
                    $"The CSAF validator {validator} failed (exit code {exit}): {errors.Trim()}{output.Trim()}"),
            };
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Fails the test, listing every schema error, unless <paramref name="json"/> matches the schema.</summary>
    public static async Task ShouldBeValidAsync(string kind, string json)
    {
        var errors = await ErrorsAsync(kind, json);
        if (errors.Count > 0)
            throw new ShouldAssertException($"The CSAF {kind} does not match the CSAF 2.0 schema:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}");
    }

    /// <summary>The path of a reference file from the OASIS CSAF repository, kept in tests/csaf/examples.</summary>
    public static string ExamplePath(string fileName) =>
        Path.Combine(Path.GetDirectoryName(Validator.Value)!, "examples", fileName);

    private static async Task<(int Exit, string Output, string Errors)> RunNodeAsync(params string[] arguments)
    {
        var info = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);

        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"node is not on PATH ({e.Message}): install Node.js and npm, then {InstallHint}.", e);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(Timeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"The CSAF validator did not finish within {Timeout.TotalSeconds} s.");
            }
            return (process.ExitCode, await output, await errors);
        }
    }

    private static string LocateValidator()
    {
        var path = Environment.GetEnvironmentVariable("PORTAL_CSAF_VALIDATOR") is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : FindUpwards(Path.Combine("tests", "csaf", "validate.mjs"))
              ?? throw new InvalidOperationException(
                  $"tests/csaf/validate.mjs was not found above {AppContext.BaseDirectory}; set PORTAL_CSAF_VALIDATOR to its path.");

        if (!File.Exists(path))
            throw new InvalidOperationException($"PORTAL_CSAF_VALIDATOR points to {path}, which does not exist.");
        var packages = Path.Combine(Path.GetDirectoryName(path)!, "node_modules");
        if (!Directory.Exists(Path.Combine(packages, "ajv")) || !Directory.Exists(Path.Combine(packages, "ajv-formats")))
            throw new InvalidOperationException($"The CSAF validator's packages are not installed in {packages}: {InstallHint}.");
        return path;
    }

    private static string? FindUpwards(string relativePath)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, relativePath);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
