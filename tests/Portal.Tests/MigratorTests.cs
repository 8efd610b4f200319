using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Portal.Web.Data;

namespace Portal.Tests;

public sealed class MigratorTests : IAsyncLifetime
{
    private string _database = "";

    public async Task InitializeAsync() => _database = await TestDatabases.CreateEmptyAsync();

    public Task DisposeAsync() => TestDatabases.DropAsync(_database);

    private Migrator NewMigrator() =>
        new(NpgsqlDataSource.Create(TestDatabases.For(_database)), NullLogger<Migrator>.Instance);

    [Fact]
    public async Task Applies_every_file_once_and_records_it()
    {
        var applied = await NewMigrator().ApplyAsync(Migrator.DefaultDirectory);

        var files = Directory.GetFiles(Migrator.DefaultDirectory, "*.sql").Select(f => Path.GetFileNameWithoutExtension(f)!).Order().ToList();
        applied.ShouldBe(files);
        (await CountAsync("SELECT count(*) FROM schema_migrations")).ShouldBe(files.Count);
        (await CountAsync("SELECT count(*) FROM information_schema.tables WHERE table_name = 'circulars'")).ShouldBe(1);

        var again = await NewMigrator().ApplyAsync(Migrator.DefaultDirectory);
        again.ShouldBeEmpty();
    }

    [Fact]
    public async Task Two_instances_migrating_at_once_apply_each_file_exactly_once()
    {
        var results = await Task.WhenAll(
            Task.Run(() => NewMigrator().ApplyAsync(Migrator.DefaultDirectory)),
            Task.Run(() => NewMigrator().ApplyAsync(Migrator.DefaultDirectory)));

        var fileCount = Directory.GetFiles(Migrator.DefaultDirectory, "*.sql").Length;
        results.Sum(r => r.Count).ShouldBe(fileCount, "one instance applies everything, the other finds nothing to do");
        (await CountAsync("SELECT count(*) FROM schema_migrations")).ShouldBe(fileCount);
    }

    [Fact]
    public async Task A_failing_file_leaves_nothing_half_applied()
    {
        var directory = Directory.CreateTempSubdirectory("migrations");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "0001_good.sql"), "CREATE TABLE good (id int PRIMARY KEY);");
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "0002_bad.sql"), "CREATE TABLE half (id int); SELECT * FROM no_such_table;");

            await Should.ThrowAsync<PostgresException>(() => NewMigrator().ApplyAsync(directory.FullName));

            (await CountAsync("SELECT count(*) FROM information_schema.tables WHERE table_name = 'good'")).ShouldBe(1);
            (await CountAsync("SELECT count(*) FROM information_schema.tables WHERE table_name = 'half'")).ShouldBe(0);
            (await CountAsync("SELECT count(*) FROM schema_migrations")).ShouldBe(1);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_migration_edited_after_it_was_applied_is_refused()
    {
        var directory = Directory.CreateTempSubdirectory("migrations");
        try
        {
            var file = Path.Combine(directory.FullName, "0001_first.sql");
            await File.WriteAllTextAsync(file, "CREATE TABLE first (id int);");
            await NewMigrator().ApplyAsync(directory.FullName);
            await File.WriteAllTextAsync(file, "CREATE TABLE first (id bigint);");

            var error = await Should.ThrowAsync<InvalidOperationException>(() => NewMigrator().ApplyAsync(directory.FullName));
            error.Message.ShouldContain("0001_first was changed after it was applied");
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(TestDatabases.For(_database));
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }
}
