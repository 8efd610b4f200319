using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;

namespace Portal.Tests.Support;

/// <summary>One message as the SMTP sink received it, MIME already decoded by Python's email package.</summary>
public sealed record SinkMessage(string MailFrom, string[] Recipients, string? MessageId, string Subject, Dictionary<string, string> Headers, string Text, string Html, string Raw, string Connection)
{
    /// <summary>The notification id from the portal's Message-ID "&lt;notification-{id}@host&gt;".</summary>
    public long? NotificationId =>
        MessageId is { } id && id.StartsWith("<notification-", StringComparison.Ordinal) && long.TryParse(id[14..id.IndexOf('@', StringComparison.Ordinal)], out var n) ? n : null;
}

/// <summary>
/// A real SMTP server on a free loopback port (aiosmtpd running tests/Portal.Tests/Support/smtp_sink.py),
/// writing each accepted message to a directory with the connection it came on. It can refuse recipients
/// with 550, answer slowly, cut connections after some messages, and be stopped and started again on the
/// same port to play a server that is down.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private Process? _process;

    private SmtpSink(int port, string directory)
    {
        Port = port;
        Directory = directory;
    }

    public int Port { get; }
    public string Directory { get; }

    public static async Task<SmtpSink> StartAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "portal-smtp-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(directory);
        var sink = new SmtpSink(FreePort(), directory);
        await sink.StartAgainAsync();
        return sink;
    }

    /// <summary>Starts the server (again) on the same port and directory.</summary>
    public async Task StartAgainAsync()
    {
        if (_process is not null) throw new InvalidOperationException("The SMTP sink is already running.");
        var script = Path.Combine(AppContext.BaseDirectory, "Support", "smtp_sink.py");
        var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { script, "127.0.0.1", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), Directory })
            info.ArgumentList.Add(arg);
        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start the SMTP sink.");
        var ready = process.StandardOutput.ReadLineAsync();
        if (await Task.WhenAny(ready, Task.Delay(TimeSpan.FromSeconds(20))) != ready || await ready != "ready")
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"The SMTP sink did not start: {await process.StandardError.ReadToEndAsync()}");
        }
        _process = process;
    }

    /// <summary>Kills the server: connections are refused until <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_process is not { } process) return;
        _process = null;
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
    }

    /// <summary>The server answers "550 Mailbox unavailable" to these recipients from now on.</summary>
    public void Refuse(params string[] addresses) => File.WriteAllLines(Path.Combine(Directory, "refuse.txt"), addresses);

    /// <summary>The server answers "450 Mailbox busy, try again later" to these recipients from now on.</summary>
    public void RefuseForNow(params string[] addresses) => File.WriteAllLines(Path.Combine(Directory, "refuse.txt"), addresses.Select(a => a + " 450"));

    /// <summary>From now on the server cuts every connection that has had this many messages accepted when it starts the next one (0: never).</summary>
    public void DropAfter(int messages) =>
        File.WriteAllText(Path.Combine(Directory, "drop.txt"), messages.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The server waits this long before accepting each message.</summary>
    public void Delay(TimeSpan delay) =>
        File.WriteAllText(Path.Combine(Directory, "delay.txt"), delay.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Forgets the messages received so far.</summary>
    public void Clear()
    {
        foreach (var file in System.IO.Directory.GetFiles(Directory, "*.json"))
            File.Delete(file);
    }

    /// <summary>Messages whose DATA the server has received but not yet answered (see <see cref="Delay"/>).</summary>
    public int InFlight() => System.IO.Directory.GetFiles(Directory, "*.receiving").Length;

    public IReadOnlyList<SinkMessage> Messages() =>
        System.IO.Directory.GetFiles(Directory, "*.json").Order(StringComparer.Ordinal)
            .Select(f => JsonSerializer.Deserialize<SinkMessage>(File.ReadAllText(f), Json)!)
            .ToList();

    /// <summary>Messages about these notifications (by Message-ID), so tests sharing a sink see only their own.</summary>
    public IReadOnlyList<SinkMessage> MessagesFor(IEnumerable<long> notificationIds)
    {
        var ids = notificationIds.ToHashSet();
        return Messages().Where(m => m.NotificationId is { } id && ids.Contains(id)).ToList();
    }

    public async Task WaitUntilAsync(Func<IReadOnlyList<SinkMessage>, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition(Messages()))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"The SMTP sink holds {Messages().Count} message(s); the condition was not met in {timeout}.");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
