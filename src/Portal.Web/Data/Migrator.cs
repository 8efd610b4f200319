using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Portal.Web.Data;

/// <summary>
/// Applies the SQL files of migrations/ in name order. Each file runs in its own transaction and is
/// recorded in schema_migrations with its checksum; a session-level advisory lock makes a second
/// instance wait and then find nothing left to do.
/// </summary>
public sealed class Migrator(NpgsqlDataSource dataSource, ILogger<Migrator> logger)
{
    private const long LockKey = 0x504f5254414c; // "PORTAL"

    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "migrations");

    public async Task<IReadOnlyList<string>> ApplyAsync(string directory, CancellationToken ct = default)
    {
        var files = Directory.GetFiles(directory, "*.sql").OrderBy(Path.GetFileName, StringComparer.Ordinal).ToList();
        if (files.Count == 0)
            throw new InvalidOperationException($"No migration files found in {directory}.");

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({LockKey})", ct);
        try
        {
            await ExecuteAsync(connection, null, """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    id text PRIMARY KEY,
                    checksum text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now())
                """, ct);

            var applied = new Dictionary<string, string>();
            await using (var cmd = new NpgsqlCommand("SELECT id, checksum FROM schema_migrations", connection))
            await using (var reader = await cmd.ExecuteReaderAsync(ct))
                while (await reader.ReadAsync(ct))
                    applied[reader.GetString(0)] = reader.GetString(1);

            var done = new List<string>();
            foreach (var file in files)
            {
                var id = Path.GetFileNameWithoutExtension(file);
                var sql = await File.ReadAllTextAsync(file, ct);
                var checksum = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql)));
                if (applied.TryGetValue(id, out var known))
                {
                    if (known != checksum)
                        throw new InvalidOperationException($"Migration {id} was changed after it was applied; add a new migration instead.");
                    continue;
                }

                await using var tx = await connection.BeginTransactionAsync(ct);
                await ExecuteAsync(connection, tx, sql, ct);
                await using (var record = new NpgsqlCommand("INSERT INTO schema_migrations (id, checksum) VALUES ($1, $2)", connection, tx))
                {
                    record.Parameters.Add(new NpgsqlParameter { Value = id });
                    record.Parameters.Add(new NpgsqlParameter { Value = checksum });
                    await record.ExecuteNonQueryAsync(ct);
                }
                await tx.CommitAsync(ct);
                logger.LogInformation("Applied migration {Migration}", id);
                done.Add(id);
            }
            return done;
        }
        finally
        {
            await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({LockKey})", CancellationToken.None);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, connection, tx);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
