using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;
using Portal.Web.Data;

namespace Portal.Web.Features.Devices;

/// <summary>
/// After a catalogue change (a manufacturer, an alias, a model, its numbers or TACs), devices already registered
/// are resolved again the way <see cref="DeviceCatalogue.Describe"/> resolves a new one, and those whose ids changed
/// are scanned, in the catalogue command's transaction. The C# side turns the distinct manufacturer names typed
/// into ids (a few thousand names, not a million devices); the rest is one UPDATE joining on those maps.
/// </summary>
public sealed class Recatalogue(PortalDbContext db, Compliance compliance, TimeProvider clock)
{
    public async Task<int> ApplyAsync(CancellationToken ct)
    {
        var catalogue = await DeviceCatalogue.LoadAsync(db, ct);
        var names = await db.Devices.AsNoTracking().Where(d => d.RemovedAt == null).Select(d => d.ManufacturerName).Distinct().ToListAsync(ct);
        var resolvedNames = names.Select(n => (Name: n, Id: catalogue.ManufacturerOf(n))).Where(n => n.Id is not null).ToList();
        var tacs = catalogue.Tacs.ToList();
        var models = catalogue.ModelNames.ToList();

        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
            await db.Database.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand(Sql, connection)
        {
            Transaction = (NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction(),
            CommandTimeout = 600,
        };
        command.Parameters.Add(new NpgsqlParameter("names", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = resolvedNames.Select(n => n.Name).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("name_ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = resolvedNames.Select(n => n.Id!.Value).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("tacs", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = tacs.Select(t => t.Tac).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("tac_models", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = tacs.Select(t => t.Model).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("tac_manufacturers", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = tacs.Select(t => t.Manufacturer).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("model_manufacturers", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = models.Select(m => m.Manufacturer).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("model_keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = models.Select(m => m.Key).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("model_ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = models.Select(m => m.Model).ToArray() });
        var changed = new List<Guid>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
                changed.Add(reader.GetGuid(0));
        if (changed.Count > 0)
            await compliance.ScanDevicesAsync([.. changed], clock.GetUtcNow(), ct);
        return changed.Count;
    }

    private const string Sql = """
        WITH names AS (SELECT * FROM unnest(@names, @name_ids) AS n(name, manufacturer_id)),
        tacs AS (SELECT * FROM unnest(@tacs, @tac_models, @tac_manufacturers) AS t(tac, model_id, manufacturer_id)),
        models AS (SELECT * FROM unnest(@model_manufacturers, @model_keys, @model_ids) AS m(manufacturer_id, key, model_id)),
        resolved AS (
            SELECT d.id,
                   CASE WHEN t.tac IS NOT NULL AND (n.manufacturer_id IS NULL OR n.manufacturer_id = t.manufacturer_id)
                        THEN t.manufacturer_id ELSE n.manufacturer_id END AS manufacturer_id,
                   CASE WHEN t.tac IS NOT NULL AND (n.manufacturer_id IS NULL OR n.manufacturer_id = t.manufacturer_id)
                        THEN t.model_id ELSE m.model_id END AS model_id
            FROM devices d
            LEFT JOIN names n ON n.name = d.manufacturer_name
            LEFT JOIN tacs t ON t.tac = d.tac
            LEFT JOIN models m ON m.manufacturer_id = n.manufacturer_id AND m.key = upper(regexp_replace(btrim(d.model), '\s+', ' ', 'g'))
            WHERE d.removed_at IS NULL
        )
        UPDATE devices d SET manufacturer_id = r.manufacturer_id, device_model_id = r.model_id
        FROM resolved r
        WHERE r.id = d.id AND (d.manufacturer_id, d.device_model_id) IS DISTINCT FROM (r.manufacturer_id, r.model_id)
        RETURNING d.id
        """;
}
