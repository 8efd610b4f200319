using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using Portal.Web.Data;
using Portal.Web.Features.Devices;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Auth;
using Portal.Web.Infrastructure.Oidc;
using Portal.Web.Infrastructure.Startup;
using Portal.Web.Features.Evidence;
using Portal.Web.Features.VendorCases;

namespace Portal.Bench;

/// <summary>
/// A fresh database for one benchmark run: migrated, seeded with the demo data, with the app's services to
/// send commands through, and an organisation of the asked size written with binary COPY. Dropped at the end.
/// </summary>
public sealed class BenchDatabase : IAsyncDisposable
{
    private readonly string server;
    private readonly string database = $"portal_bench_{DateTime.UtcNow:yyyyMMddHHmmss}";

    private BenchDatabase(string server) => this.server = server;

    public string Connection { get; private set; } = "";
    public IServiceProvider Services { get; private set; } = null!;

    /// <param name="clock">The time the app's services read, when a benchmark moves it (the chase rounds); otherwise the system's.</param>
    public static async Task<BenchDatabase> CreateAsync(string server, TimeProvider? clock = null)
    {
        var bench = new BenchDatabase(server);
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await new NpgsqlCommand($"CREATE DATABASE {bench.database}", admin).ExecuteNonQueryAsync();
        }
        bench.Connection = new NpgsqlConnectionStringBuilder(server) { Database = bench.database, CommandTimeout = 600 }.ConnectionString;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Configuration["ConnectionStrings:Portal"] = bench.Connection;
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddPortal(builder.Configuration, builder.Environment);
        if (clock is not null)
            builder.Services.AddSingleton(clock);
        bench.Services = builder.Build().Services;
        await using var scope = bench.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<Migrator>().ApplyAsync(Migrator.DefaultDirectory);
        await scope.ServiceProvider.GetRequiredService<DemoData>().LoadAsync();
        return bench;
    }

    /// <summary>Keeps the database after the run (BENCH_KEEP=1), to look into it with psql.</summary>
    public static bool Keep => Environment.GetEnvironmentVariable("BENCH_KEEP") == "1";

    public async ValueTask DisposeAsync()
    {
        if (Services is IDisposable disposable) disposable.Dispose();
        NpgsqlConnection.ClearAllPools();
        if (Keep)
        {
            Console.WriteLine($"kept the database {database}");
            return;
        }
        await using var admin = new NpgsqlConnection(server);
        await admin.OpenAsync();
        await new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", admin).ExecuteNonQueryAsync();
    }

    public async Task<NpgsqlConnection> OpenAsync()
    {
        var conn = new NpgsqlConnection(Connection);
        await conn.OpenAsync();
        return conn;
    }

    public async Task<long> ScalarAsync(string sql)
    {
        await using var conn = await OpenAsync();
        return Convert.ToInt64(await new NpgsqlCommand(sql, conn).ExecuteScalarAsync());
    }

    public sealed record Organisation(Guid Root, Guid[] StaffIds, IReadOnlyList<Guid> Squadrons);

    /// <summary>
    /// An organisation of the asked size, written with binary COPY: a command, wings and squadrons, staff (all with
    /// e-mail, half with a mobile number) and family members. With <paramref name="underDemoRoot"/> the command is
    /// placed under the demo organisation's root, so the whole organisation has one root unit.
    /// </summary>
    public async Task<Organisation> GenerateOrganisationAsync(int unitCount, int staffCount, int dependentCount, bool underDemoRoot = false)
    {
        var watch = Stopwatch.StartNew();
        await using var conn = await OpenAsync();
        var random = new Random(42);
        var squadronIds = new List<Guid>();
        var root = Guid.CreateVersion7();
        (Guid Id, string Path)? parent = null;
        if (underDemoRoot)
        {
            await using var find = new NpgsqlCommand("SELECT id, path FROM units WHERE parent_id IS NULL ORDER BY path LIMIT 1", conn);
            await using var reader = await find.ExecuteReaderAsync();
            if (await reader.ReadAsync()) parent = (reader.GetGuid(0), reader.GetString(1));
        }
        var depth0 = parent is null ? 0 : 1;
        var wings = Math.Max(1, unitCount / 50);
        var squadrons = Math.Max(1, unitCount - 1 - wings);
        await using (var copy = await conn.BeginBinaryImportAsync("COPY units (id, name, code, kind, parent_id, path, depth) FROM STDIN (FORMAT BINARY)"))
        {
            var rootPath = $"{parent?.Path ?? "/"}{root:N}/";
            await Row(copy, root, "Bench Command", "BENCH", parent is null ? "Command" : "Wing", parent?.Id, rootPath, depth0);
            var wingPaths = new List<(Guid, string)>();
            for (var w = 0; w < wings; w++)
            {
                var id = Guid.CreateVersion7();
                var path = $"{rootPath}{id:N}/";
                wingPaths.Add((id, path));
                await Row(copy, id, $"Bench Wing {w}", $"BW{w}", parent is null ? "Wing" : "Squadron", root, path, depth0 + 1);
            }
            for (var s = 0; s < squadrons; s++)
            {
                var (wing, wingPath) = wingPaths[s % wings];
                var id = Guid.CreateVersion7();
                squadronIds.Add(id);
                await Row(copy, id, $"Bench Squadron {s}", $"BS{s}", parent is null ? "Squadron" : "Flight", wing, $"{wingPath}{id:N}/", depth0 + 2);
            }
            await copy.CompleteAsync();

            static async Task Row(NpgsqlBinaryImporter copy, Guid id, string name, string code, string kind, Guid? parent, string path, int depth)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(id, NpgsqlDbType.Uuid);
                await copy.WriteAsync(name);
                await copy.WriteAsync(code);
                await copy.WriteAsync(kind);
                if (parent is { } p) await copy.WriteAsync(p, NpgsqlDbType.Uuid); else await copy.WriteNullAsync();
                await copy.WriteAsync(path);
                await copy.WriteAsync(depth);
            }
        }
        var staffIds = new Guid[staffCount];
        await using (var copy = await conn.BeginBinaryImportAsync("COPY staff_members (id, service_number, full_name, email, mobile_number, unit_id) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < staffCount; i++)
            {
                staffIds[i] = Guid.CreateVersion7();
                await copy.StartRowAsync();
                await copy.WriteAsync(staffIds[i], NpgsqlDbType.Uuid);
                await copy.WriteAsync($"B{i:D7}");
                await copy.WriteAsync($"Bench Person {i}");
                await copy.WriteAsync($"b{i}@staff.bench.example");
                if (i % 2 == 0) await copy.WriteAsync($"+9198{i:D8}"); else await copy.WriteNullAsync();
                await copy.WriteAsync(squadronIds[i % squadronIds.Count], NpgsqlDbType.Uuid);
            }
            await copy.CompleteAsync();
        }
        await using (var copy = await conn.BeginBinaryImportAsync("COPY dependents (id, staff_member_id, full_name, relationship, email, mobile_number, preferred_language, consent_to_contact) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < dependentCount; i++)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
                await copy.WriteAsync(staffIds[i % staffIds.Length], NpgsqlDbType.Uuid);
                await copy.WriteAsync($"Bench Family {i}");
                await copy.WriteAsync(i % 3 == 0 ? "Child" : "Spouse");
                if (random.Next(10) < 4) await copy.WriteAsync($"f{i}@home.bench.example"); else await copy.WriteNullAsync();
                await copy.WriteAsync($"+9197{i:D8}");
                await copy.WriteAsync(i % 4 == 0 ? "hi" : "en");
                await copy.WriteAsync(random.Next(10) != 0);
            }
            await copy.CompleteAsync();
        }
        await new NpgsqlCommand("ANALYZE", conn).ExecuteNonQueryAsync();
        Console.WriteLine($"generated {unitCount} units, {staffCount:N0} staff, {dependentCount:N0} dependents: {watch.Elapsed.TotalSeconds:F1} s");
        return new Organisation(root, staffIds, squadronIds);
    }

    /// <summary>
    /// Portal accounts (role Staff, no password: they are signed in with minted cookies) for the first
    /// <paramref name="count"/> staff members, linked to their staff records. Returns the account ids in staff order.
    /// </summary>
    public async Task<Guid[]> CreateStaffAccountsAsync(Organisation organisation, int count)
    {
        count = Math.Min(count, organisation.StaffIds.Length);
        await using var conn = await OpenAsync();
        var staffRole = (Guid)(await new NpgsqlCommand("SELECT id FROM roles WHERE name = 'Staff'", conn).ExecuteScalarAsync())!;
        var units = new Dictionary<Guid, Guid>();
        await using (var read = new NpgsqlCommand("SELECT id, unit_id FROM staff_members WHERE id = ANY($1)", conn) { Parameters = { new() { Value = organisation.StaffIds[..count] } } })
        await using (var reader = await read.ExecuteReaderAsync())
            while (await reader.ReadAsync()) units[reader.GetGuid(0)] = reader.GetGuid(1);
        var accounts = new Guid[count];
        await using var tx = await conn.BeginTransactionAsync();
        await using (var copy = await conn.BeginBinaryImportAsync("""
            COPY users (id, display_name, unit_id, created_at, user_name, normalized_user_name, email, normalized_email, email_confirmed,
                        security_stamp, concurrency_stamp, phone_number_confirmed, two_factor_enabled, lockout_enabled, access_failed_count)
            FROM STDIN (FORMAT BINARY)
            """))
        {
            for (var i = 0; i < count; i++)
            {
                accounts[i] = Guid.CreateVersion7();
                var email = $"b{i}@staff.bench.example";
                await copy.StartRowAsync();
                await copy.WriteAsync(accounts[i], NpgsqlDbType.Uuid);
                await copy.WriteAsync($"Bench Person {i}");
                await copy.WriteAsync(units[organisation.StaffIds[i]], NpgsqlDbType.Uuid);
                await copy.WriteAsync(DateTimeOffset.UtcNow, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(email);
                await copy.WriteAsync(email.ToUpperInvariant());
                await copy.WriteAsync(email);
                await copy.WriteAsync(email.ToUpperInvariant());
                await copy.WriteAsync(true);
                await copy.WriteAsync(Guid.NewGuid().ToString("N").ToUpperInvariant());
                await copy.WriteAsync(Guid.NewGuid().ToString());
                await copy.WriteAsync(false);
                await copy.WriteAsync(false);
                await copy.WriteAsync(true);
                await copy.WriteAsync(0);
            }
            await copy.CompleteAsync();
        }
        await using (var copy = await conn.BeginBinaryImportAsync("COPY user_roles (user_id, role_id) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var account in accounts)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(account, NpgsqlDbType.Uuid);
                await copy.WriteAsync(staffRole, NpgsqlDbType.Uuid);
            }
            await copy.CompleteAsync();
        }
        await new NpgsqlCommand("UPDATE staff_members s SET user_id = u.id FROM unnest($1::uuid[], $2::uuid[]) AS u(staff, id) WHERE s.id = u.staff", conn)
        {
            Parameters = { new() { Value = organisation.StaffIds[..count] }, new() { Value = accounts } },
        }.ExecuteNonQueryAsync();
        await tx.CommitAsync();
        return accounts;
    }
}
