using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Portal.Web.Data;

namespace Portal.Tests.Support;

/// <summary>
/// The throwaway PostgreSQL that ./test.sh starts. One template database is migrated and loaded with
/// the demo organisation once per test run; every test class gets its own copy (CREATE DATABASE ...
/// TEMPLATE takes a few dozen milliseconds), so classes never see each other's rows.
/// </summary>
public static class TestDatabases
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _template;

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("PORTAL_TEST_PG")
        ?? throw new InvalidOperationException("PORTAL_TEST_PG is not set: run the tests through ./test.sh, which starts a throwaway PostgreSQL.");

    public static string For(string database) =>
        new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = database, Pooling = true }.ConnectionString;

    /// <summary>A fresh database holding the migrated schema and the demo organisation.</summary>
    public static async Task<string> CreateAsync()
    {
        var template = await TemplateAsync();
        var name = "t_" + Guid.NewGuid().ToString("N")[..16];
        await ExecuteAsync($"CREATE DATABASE {name} TEMPLATE {template}");
        return name;
    }

    /// <summary>An empty database, for tests of the migrator itself.</summary>
    public static async Task<string> CreateEmptyAsync()
    {
        var name = "e_" + Guid.NewGuid().ToString("N")[..16];
        await ExecuteAsync($"CREATE DATABASE {name}");
        return name;
    }

    public static async Task DropAsync(string database)
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync($"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
    }

    private static async Task<string> TemplateAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_template is not null) return _template;
            var name = "tpl_" + Environment.ProcessId + "_" + Guid.NewGuid().ToString("N")[..8];
            await ExecuteAsync($"CREATE DATABASE {name}");
            // Migrated before a host starts on it: the host's key ring reads its table at start-up and would log
            // "relation data_protection_keys does not exist" on an empty database.
            await using (var dataSource = NpgsqlDataSource.Create(For(name)))
                await new Migrator(dataSource, NullLogger<Migrator>.Instance).ApplyAsync(Migrator.DefaultDirectory);
            await using (var factory = new PortalFactory(For(name)))
            {
                await using var scope = factory.Services.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<DemoData>().LoadAsync();
                // The token keys, made once here rather than by every test class's first request.
                scope.ServiceProvider.GetRequiredService<Portal.Web.Infrastructure.Oidc.OidcKeyStore>().LoadOrCreate();
            }
            // A template must have no open connections when it is copied.
            NpgsqlConnection.ClearAllPools();
            _template = name;
            return name;
        }
        finally
        {
            Gate.Release();
        }
    }

    public static async Task ExecuteAsync(string sql, string database = "postgres")
    {
        await using var connection = new NpgsqlConnection(For(database));
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        await cmd.ExecuteNonQueryAsync();
    }
}
