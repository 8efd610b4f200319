using System.Diagnostics;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Portal.Web.Data;
using Portal.Web.Features.Notifications;
using Portal.Web.Infrastructure.Startup;

namespace Portal.Bench;

/// <summary>
/// Chasing at full size: a circular published to the whole organisation, nobody has acknowledged; the clock is moved to
/// the first reminder day and the chase command runs once (a reminder round), then past the deadline (a reminder and an
/// escalation round). Each round's new notification rows are then deleted and written back with a raw binary COPY into
/// the same table, the baseline; `ratio: X` = the rounds' time / the COPY time.
/// </summary>
public sealed class ChaseBenchmark(ChaseBenchmark.Options options)
{
    public sealed record Options(int Staff, int Units, int Dependents, string ServerConnection)
    {
        public static Options Parse(string[] args)
        {
            int Int(string name, int fallback) =>
                Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : fallback;
            return new Options(Int("--staff", 200_000), Int("--units", 2_000), Int("--dependents", 300_000),
                Environment.GetEnvironmentVariable("BENCH_PG") ?? throw new InvalidOperationException("BENCH_PG is not set: run ./bench.sh chase"));
        }
    }

    /// <summary>A clock the benchmark moves: the chase command reads the time from the services' TimeProvider.</summary>
    private sealed class MovableClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    public async Task<int> RunAsync()
    {
        var clock = new MovableClock();
        await using var bench = await BenchDatabase.CreateAsync(options.ServerConnection, clock);
        var organisation = await bench.GenerateOrganisationAsync(options.Units, options.Staff, options.Dependents, underDemoRoot: true);
        await BenchCirculars.PublishAsync(bench, organisation);
        var outstanding = await bench.ScalarAsync("SELECT count(*) FROM acknowledgement_requests WHERE acknowledged_at IS NULL");
        var deadline = DateOnly.FromDateTime(await ScalarAsync<DateTime>(bench,
            "SELECT max(r.acknowledgement_deadline)::timestamp FROM circulars c JOIN circular_revisions r ON r.id = c.current_revision_id WHERE c.status = 'Published'"));
        var deadlineEnd = new DateTimeOffset(deadline.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        Console.WriteLine($"chase: {outstanding:N0} outstanding acknowledgement requests (staff and family), deadline {deadline:yyyy-MM-dd}");

        var rounds = new List<(string Label, double RoundMs, double CopyMs, long Rows)>();
        foreach (var (label, at) in new[]
                 {
                     ("reminder round (3 days before the deadline)", deadlineEnd.AddDays(-3).AddMinutes(1)),
                     ("reminder and escalation round (1 day after the deadline)", deadlineEnd.AddDays(1).AddMinutes(1)),
                 })
        {
            clock.Now = at;
            var before = await bench.ScalarAsync("SELECT coalesce(max(id), 0) FROM notifications");
            await Checkpoint(bench);
            ChaseDue.Result result;
            var watch = Stopwatch.StartNew();
            await using (var scope = bench.Services.CreateAsyncScope())
                result = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new ChaseDue.Command());
            var roundMs = watch.Elapsed.TotalMilliseconds;
            var rows = await bench.ScalarAsync($"SELECT count(*) FROM notifications WHERE id > {before}");
            if (rows == 0 || result.Reminders == 0)
                throw new InvalidOperationException($"The {label} created no reminders: the chase settings or the clock are not what the benchmark expects.");

            // The baseline: the very rows this round wrote, out as binary COPY data, deleted, and written back in one transaction.
            byte[] data;
            await using (var conn = await bench.OpenAsync())
            {
                await using (var raw = await conn.BeginRawBinaryCopyAsync($"COPY (SELECT * FROM notifications WHERE id > {before} ORDER BY id) TO STDOUT (FORMAT BINARY)"))
                {
                    using var buffer = new MemoryStream();
                    await raw.CopyToAsync(buffer);
                    data = buffer.ToArray();
                }
                await new NpgsqlCommand($"DELETE FROM notifications WHERE id > {before}", conn).ExecuteNonQueryAsync();
            }
            await Checkpoint(bench);
            watch.Restart();
            await using (var conn = await bench.OpenAsync())
            {
                await using var tx = await conn.BeginTransactionAsync();
                await using (var raw = await conn.BeginRawBinaryCopyAsync("COPY notifications FROM STDIN (FORMAT BINARY)"))
                    await raw.WriteAsync(data);
                await tx.CommitAsync();
            }
            var copyMs = watch.Elapsed.TotalMilliseconds;
            Console.WriteLine($"{label}: {result.Reminders:N0} reminders and {result.Escalations:N0} escalations in {roundMs:F0} ms; " +
                $"binary COPY of the same {rows:N0} rows {copyMs:F0} ms; ratio {roundMs / copyMs:F2}");
            rounds.Add((label, roundMs, copyMs, rows));
        }
        var total = rounds.Sum(r => r.RoundMs);
        var copy = rounds.Sum(r => r.CopyMs);
        Console.WriteLine($"both rounds: {total:F0} ms against {copy:F0} ms of binary COPY ({rounds.Sum(r => r.Rows):N0} rows)");
        Console.WriteLine($"ratio: {total / copy:F2}");
        return 0;
    }

    private static async Task Checkpoint(BenchDatabase bench)
    {
        await using var conn = await bench.OpenAsync();
        await new NpgsqlCommand("CHECKPOINT", conn).ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(BenchDatabase bench, string sql)
    {
        await using var conn = await bench.OpenAsync();
        return (T)(await new NpgsqlCommand(sql, conn).ExecuteScalarAsync())!;
    }
}
