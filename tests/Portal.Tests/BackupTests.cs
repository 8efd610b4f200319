using Portal.Web.Domain;

namespace Portal.Tests;

/// <summary>scripts/backup.sh, which ./run.sh backup and ./run.sh restore call: a whole backup comes back whole, a damaged one changes nothing.</summary>
public sealed class BackupTests(PortalFixture fixture) : IClassFixture<PortalFixture>, IAsyncLifetime
{
    private readonly string _work = Path.Combine(Path.GetTempPath(), "portal-backup-test-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly List<string> _databases = [];

    private string Storage => Path.Combine(_work, "storage");

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(Storage, "evidence", "2026"));
        File.WriteAllText(Path.Combine(Storage, "evidence", "2026", "lab-report.txt"), "Redmi 1S: contacts and SMS sent abroad.");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var database in _databases)
            await TestDatabases.DropAsync(database);
        Directory.Delete(_work, recursive: true);
    }

    private Dictionary<string, string> Environment(string? database = null)
    {
        var env = Shell.PostgresEnvironment(fixture.ConnectionString);
        if (database is not null) env["PGDATABASE"] = database;
        env["PORTAL_STORAGE"] = Storage;
        return env;
    }

    private async Task<string> BackupAsync()
    {
        var (exit, output, errors) = await Shell.RunAsync(Shell.Script("backup.sh"), ["backup", Path.Combine(_work, "backups")], Environment());
        exit.ShouldBe(0, errors);
        var file = output.Trim().Split('\n')[^1];
        File.Exists(file).ShouldBeTrue(output);
        Path.GetFileName(file).ShouldMatch(@"^portal-\d{8}T\d{6}Z\.tar$");
        return file;
    }

    /// <summary>Everything the restore must bring back, as one comparable text per table.</summary>
    private static async Task<Dictionary<string, string[]>> ContentsAsync(string database)
    {
        var contents = new Dictionary<string, string[]>();
        await using var connection = new Npgsql.NpgsqlConnection(TestDatabases.For(database));
        await connection.OpenAsync();
        foreach (var (name, sql) in new[]
        {
            ("circulars", "SELECT id::text || status || coalesce(reference_number, '') FROM circulars ORDER BY id"),
            ("revisions", "SELECT circular_id::text || '/' || number || title FROM circular_revisions ORDER BY circular_id, number"),
            ("acknowledgements", "SELECT id::text || coalesce(acknowledged_at::text, '-') || coalesce(channel, '') FROM acknowledgement_requests ORDER BY id"),
            ("audit", "SELECT chain_position::text || encode(hash, 'hex') FROM audit_events ORDER BY chain_position"),
        })
        {
            await using var command = new Npgsql.NpgsqlCommand(sql, connection);
            await using var reader = await command.ExecuteReaderAsync();
            var rows = new List<string>();
            while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
            contents[name] = [.. rows];
        }
        return contents;
    }

    private static async Task<List<long>> BrokenAuditLinksAsync(string database)
    {
        await using var connection = new Npgsql.NpgsqlConnection(TestDatabases.For(database));
        await connection.OpenAsync();
        // The chain check of CircularLifecycleTests: every event's hash recomputed from its predecessor's.
        await using var command = new Npgsql.NpgsqlCommand("""
            SELECT e.chain_position
            FROM audit_events e
            LEFT JOIN audit_events p ON p.chain_position = e.chain_position - 1
            WHERE e.previous_hash <> coalesce(p.hash, '\x'::bytea)
               OR e.hash <> sha256(e.previous_hash || convert_to(audit_event_text(e.chain_position, e.occurred_at, e.actor_id,
                    e.entity_type, e.entity_id, e.action, e.reason, e.data), 'UTF8'))
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var broken = new List<long>();
        while (await reader.ReadAsync()) broken.Add(reader.GetInt64(0));
        return broken;
    }

    private async Task<string[]> DatabasesLikeAsync(string prefix)
    {
        await using var connection = new Npgsql.NpgsqlConnection(TestDatabases.For("postgres"));
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT datname FROM pg_database WHERE starts_with(datname, $1)", connection);
        command.Parameters.AddWithValue(prefix);
        await using var reader = await command.ExecuteReaderAsync();
        var names = new List<string>();
        while (await reader.ReadAsync()) names.Add(reader.GetString(0));
        return [.. names];
    }

    [Fact]
    public async Task A_backup_restored_into_a_new_database_holds_every_circular_revision_acknowledgement_and_audit_event()
    {
        var id = await fixture.PublishedCircularAsync("Backed up", TlpLabel.Green);
        var staff = await fixture.SignedInAs(Scenarios.Staff);
        (await staff.PostFormAsync($"/circulars/{id}/acknowledge", new() { ["Revision"] = "1" }, $"/circulars/{id}")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var original = await ContentsAsync(fixture.Database);
        original["acknowledgements"].ShouldContain(a => a.EndsWith("Portal", StringComparison.Ordinal));
        original["audit"].ShouldNotBeEmpty();

        var file = await BackupAsync();
        var restored = "r_" + Guid.NewGuid().ToString("N")[..16];
        _databases.Add(restored);
        var restoredStorage = Path.Combine(_work, "restored-storage");
        var (exit, output, errors) = await Shell.RunAsync(Shell.Script("backup.sh"), ["restore", file, "--into", restored, restoredStorage], Environment());

        exit.ShouldBe(0, errors + output);
        var copy = await ContentsAsync(restored);
        foreach (var (table, rows) in original)
            copy[table].ShouldBe(rows, $"{table} differs after the restore");
        (await BrokenAuditLinksAsync(restored)).ShouldBeEmpty();
        File.ReadAllText(Path.Combine(restoredStorage, "evidence", "2026", "lab-report.txt")).ShouldBe("Redmi 1S: contacts and SMS sent abroad.");
    }

    [Fact]
    public async Task A_truncated_or_foreign_file_is_refused_and_the_database_is_untouched()
    {
        var before = await ContentsAsync(fixture.Database);
        var file = await BackupAsync();
        var truncated = Path.Combine(_work, "truncated.tar");
        var bytes = await File.ReadAllBytesAsync(file);
        await File.WriteAllBytesAsync(truncated, bytes[..(bytes.Length * 2 / 3)]);
        var foreign = Path.Combine(_work, "foreign.tar");
        await File.WriteAllTextAsync(foreign, "PGDMP this is not a backup of the portal");

        foreach (var bad in new[] { truncated, foreign, Path.Combine(_work, "missing.tar") })
        {
            var (exit, _, errors) = await Shell.RunAsync(Shell.Script("backup.sh"), ["restore", bad], Environment());

            exit.ShouldBe(1, bad);
            errors.ShouldContain("Restore refused:");
            errors.ShouldContain("Nothing was changed.");
        }
        var after = await ContentsAsync(fixture.Database);
        foreach (var (table, rows) in before)
            after[table].ShouldBe(rows, $"{table} changed although the restore was refused");
        (await DatabasesLikeAsync(fixture.Database + "_")).ShouldBeEmpty();
        File.Exists(Path.Combine(Storage, "evidence", "2026", "lab-report.txt")).ShouldBeTrue();
    }
}
