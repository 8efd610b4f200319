using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;
using Portal.Web.Data;

namespace Portal.Tests;

/// <summary>
/// The SQL files in migrations/ and the EF model are written by hand, separately; this test is what
/// keeps them in agreement, in both directions.
/// </summary>
public sealed class SchemaMatchesModelTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private static readonly HashSet<string> TablesOutsideTheModel = ["schema_migrations", "reference_counters", "chase_rounds", "authenticator_steps", "vendor_case_reminders", "device_rule_terms", "device_rule_tacs"];

    [Fact]
    public async Task Migrated_schema_and_EF_model_agree()
    {
        var model = await fixture.Db(db => Task.FromResult(Microsoft.EntityFrameworkCore.Infrastructure.AccessorExtensions.GetService<Microsoft.EntityFrameworkCore.Metadata.IDesignTimeModel>(db).Model));
        var expected = Describe(model);
        var actual = await ReadDatabaseAsync();

        var missingInDatabase = expected.Except(actual).Order().ToList();
        var missingInModel = actual.Except(expected).Order().ToList();
        missingInDatabase.ShouldBeEmpty("the EF model has these, the migrated schema does not:\n" + string.Join("\n", missingInDatabase));
        missingInModel.ShouldBeEmpty("the migrated schema has these, the EF model does not:\n" + string.Join("\n", missingInModel));
    }

    private static HashSet<string> Describe(IModel model)
    {
        var facts = new HashSet<string>();
        foreach (var entity in model.GetEntityTypes())
        {
            var table = entity.GetTableName();
            if (table is null) continue;
            var id = StoreObjectIdentifier.Table(table);
            facts.Add($"table {table}");
            foreach (var p in entity.GetProperties().Concat(entity.GetComplexProperties().SelectMany(c => c.ComplexType.GetProperties())))
            {
                var column = p.GetColumnName(id);
                if (column is null or "xmin") continue;
                facts.Add($"column {table}.{column} {Normalise(p.GetColumnType())} {(p.IsColumnNullable(id) ? "null" : "not null")}");
            }
            foreach (var index in entity.GetIndexes())
                facts.Add($"index {table}.{index.GetDatabaseName()} ({string.Join(",", index.Properties.Select(p => p.GetColumnName(id)))}){(index.IsUnique ? " unique" : "")}");
            foreach (var fk in entity.GetForeignKeys())
            {
                var principal = fk.PrincipalEntityType.GetTableName();
                facts.Add($"fk {table}.{fk.GetConstraintName()} ({string.Join(",", fk.Properties.Select(p => p.GetColumnName(id)))}) -> {principal} {Rule(fk.DeleteBehavior)}");
            }
            var pk = entity.FindPrimaryKey();
            if (pk is not null)
                facts.Add($"pk {table}.{pk.GetName()} ({string.Join(",", pk.Properties.Select(p => p.GetColumnName(id)))})");
        }
        return facts;
    }

    private static string Rule(DeleteBehavior behavior) => behavior switch
    {
        DeleteBehavior.Cascade => "cascade",
        DeleteBehavior.SetNull => "set null",
        DeleteBehavior.Restrict => "restrict",
        _ => "no action",
    };

    private static string Normalise(string type) => type switch
    {
        "timestamp with time zone" => "timestamptz",
        _ when type.StartsWith("character varying", StringComparison.Ordinal) => type.Replace("character varying", "varchar", StringComparison.Ordinal),
        _ => type,
    };

    private async Task<HashSet<string>> ReadDatabaseAsync()
    {
        var facts = new HashSet<string>();
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();

        async Task Read(string sql, Func<NpgsqlDataReader, string?> describe)
        {
            await using var cmd = new NpgsqlCommand(sql, connection);
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                if (describe(reader) is { } fact) facts.Add(fact);
        }

        bool Ours(string table) => !TablesOutsideTheModel.Contains(table);

        await Read("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
            r => Ours(r.GetString(0)) ? $"table {r.GetString(0)}" : null);
        await Read("""
            SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
            """,
            r => Ours(r.GetString(0)) ? $"column {r.GetString(0)}.{r.GetString(1)} {Normalise(r.GetString(2))} {(r.GetBoolean(3) ? "not null" : "null")}" : null);
        await Read("""
            SELECT t.relname, i.relname, ix.indisunique, ix.indisprimary,
                   (SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest(ix.indkey) WITH ORDINALITY k(attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum)
            FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE n.nspname = 'public'
            """,
            r => !Ours(r.GetString(0)) ? null
                : r.GetBoolean(3) ? $"pk {r.GetString(0)}.{r.GetString(1)} ({r.GetString(4)})"
                : $"index {r.GetString(0)}.{r.GetString(1)} ({r.GetString(4)}){(r.GetBoolean(2) ? " unique" : "")}");
        await Read("""
            SELECT t.relname, con.conname, (SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
                   JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum),
                   p.relname, con.confdeltype
            FROM pg_constraint con JOIN pg_class t ON t.oid = con.conrelid JOIN pg_class p ON p.oid = con.confrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE n.nspname = 'public' AND con.contype = 'f'
            """,
            r => Ours(r.GetString(0))
                ? $"fk {r.GetString(0)}.{r.GetString(1)} ({r.GetString(2)}) -> {r.GetString(3)} {r.GetChar(4) switch { 'c' => "cascade", 'n' => "set null", 'r' => "restrict", _ => "no action" }}"
                : null);
        return facts;
    }
}
