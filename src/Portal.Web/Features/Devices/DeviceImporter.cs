using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;
using Portal.Web.Data;
using Portal.Web.Domain;

namespace Portal.Web.Features.Devices;

/// <summary>
/// The set-based half of an import: checked rows go by binary COPY into a temporary staging table, are matched
/// to staff by e-mail (the UPN) in SQL, and are merged into devices with one INSERT … ON CONFLICT (the IMEI) that
/// skips rows that change nothing, so importing the same file again updates, never duplicates. It runs inside
/// the caller's transaction: a failure anywhere leaves nothing behind.
/// </summary>
public sealed class DeviceImporter(PortalDbContext db)
{
    public sealed record Outcome(int Inserted, int Updated, int Unchanged, List<ImportRejection> UnknownUsers, Guid[] ChangedDeviceIds);

    public sealed record Forecast(int New, int Updated, int Unchanged, List<ImportRejection> UnknownUsers);

    private NpgsqlConnection Connection => (NpgsqlConnection)db.Database.GetDbConnection();

    /// <summary>How often, in rows written, <see cref="StageAsync"/> reports its progress.</summary>
    public const int ProgressEvery = 5000;

    public async Task StageAsync(IReadOnlyList<ImportRow> rows, CancellationToken ct, Func<int, Task>? progress = null)
    {
        await db.Database.OpenConnectionAsync(ct);
        var staff = await StaffByUserAsync(rows, ct);
        await db.Database.ExecuteSqlRawAsync("""
            CREATE TEMP TABLE device_import_rows (
                line integer NOT NULL, imei varchar(15) NOT NULL, tac varchar(8) NOT NULL, manufacturer_name varchar(200) NOT NULL,
                manufacturer_id uuid, model varchar(200) NOT NULL, device_model_id uuid, os_version varchar(100), os_version_key varchar(400),
                serial_number varchar(100), device_name varchar(200), primary_user varchar(256) NOT NULL, staff_member_id uuid, id uuid NOT NULL
            ) ON COMMIT DROP
            """, ct);
        await using (var copy = await Connection.BeginBinaryImportAsync(
            "COPY device_import_rows (line, imei, tac, manufacturer_name, manufacturer_id, model, device_model_id, os_version, os_version_key, serial_number, device_name, primary_user, staff_member_id, id) FROM STDIN (FORMAT BINARY)", ct))
        {
            var written = 0;
            foreach (var r in rows)
            {
                if (progress is not null && ++written % ProgressEvery == 0)
                    await progress(written);
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(r.Line, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(r.Imei, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(Imeis.Tac(r.Imei), NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(r.Device.ManufacturerName, NpgsqlDbType.Varchar, ct);
                await WriteNullableAsync(copy, r.Device.ManufacturerId, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(r.Device.Model, NpgsqlDbType.Varchar, ct);
                await WriteNullableAsync(copy, r.Device.DeviceModelId, NpgsqlDbType.Uuid, ct);
                await WriteNullableAsync(copy, r.Device.OsVersion, NpgsqlDbType.Varchar, ct);
                await WriteNullableAsync(copy, r.Device.OsVersion is { } os ? Versions.Key(os) : null, NpgsqlDbType.Varchar, ct);
                await WriteNullableAsync(copy, r.Device.SerialNumber, NpgsqlDbType.Varchar, ct);
                await WriteNullableAsync(copy, r.Device.DeviceName, NpgsqlDbType.Varchar, ct);
                await copy.WriteAsync(r.PrimaryUser, NpgsqlDbType.Varchar, ct);
                await WriteNullableAsync(copy, staff.TryGetValue(r.PrimaryUser, out var member) ? member : (Guid?)null, NpgsqlDbType.Uuid, ct);
                // Time-ordered ids for new devices: they go to the right-hand end of the primary key's index, where
                // random ones (gen_random_uuid) touched, and after a checkpoint logged in full, a page per row.
                await copy.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid, ct);
            }
            await copy.CompleteAsync(ct);
        }
        await db.Database.ExecuteSqlRawAsync("ANALYZE device_import_rows", ct);
    }

    /// <summary>
    /// The staff member each primary user (UPN) names, by e-mail without regard to case (the first by id if two share
    /// one), looked up once per distinct user before the COPY: staged rows are written once, not updated afterwards.
    /// </summary>
    private async Task<Dictionary<string, Guid>> StaffByUserAsync(IReadOnlyList<ImportRow> rows, CancellationToken ct)
    {
        var users = rows.Select(r => r.PrimaryUser).Distinct(StringComparer.Ordinal).ToArray();
        var staff = new Dictionary<string, Guid>(StringComparer.Ordinal);
        await using var command = new NpgsqlCommand("""
            SELECT u.name, s.id
            FROM unnest(@users) AS u(name)
            JOIN (SELECT DISTINCT ON (lower(email)) id, lower(email) AS email FROM staff_members WHERE email IS NOT NULL ORDER BY lower(email), id) s
              ON s.email = lower(u.name)
            """, Connection);
        command.Parameters.Add(new NpgsqlParameter("users", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = users });
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            staff[reader.GetString(0)] = reader.GetGuid(1);
        return staff;
    }

    private static Task WriteNullableAsync<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken ct) =>
        value is null ? copy.WriteNullAsync(ct) : copy.WriteAsync(value, type, ct);

    /// <summary>What the merge would do, for the preview (the caller rolls the staging back).</summary>
    public async Task<Forecast> ForecastAsync(CancellationToken ct)
    {
        var counts = await db.Database.SqlQueryRaw<ForecastCounts>($"""
            SELECT count(*) FILTER (WHERE r.staff_member_id IS NOT NULL AND d.id IS NULL)::int AS "new",
                   count(*) FILTER (WHERE r.staff_member_id IS NOT NULL AND d.id IS NOT NULL AND NOT ({Same}))::int AS "updated",
                   count(*) FILTER (WHERE r.staff_member_id IS NOT NULL AND d.id IS NOT NULL AND ({Same}))::int AS "unchanged"
            FROM device_import_rows r LEFT JOIN devices d ON d.imei = r.imei AND d.removed_at IS NULL
            """).SingleAsync(ct);
        return new Forecast(counts.New, counts.Updated, counts.Unchanged, await UnknownUsersAsync(ct));
    }

    private sealed class ForecastCounts { public int New { get; set; } public int Updated { get; set; } public int Unchanged { get; set; } }

    /// <summary>The columns an import sets; a row equal on all of them changes nothing.</summary>
    private const string Same = """
        d.staff_member_id = r.staff_member_id AND d.dependent_id IS NULL AND d.manufacturer_name = r.manufacturer_name
        AND d.manufacturer_id IS NOT DISTINCT FROM r.manufacturer_id AND d.model = r.model AND d.device_model_id IS NOT DISTINCT FROM r.device_model_id
        AND d.os_version IS NOT DISTINCT FROM r.os_version AND d.serial_number IS NOT DISTINCT FROM r.serial_number
        AND d.device_name IS NOT DISTINCT FROM r.device_name AND d.source = 'MdmImport'
        """;

    private async Task<List<ImportRejection>> UnknownUsersAsync(CancellationToken ct) =>
        (await db.Database.SqlQueryRaw<UnknownUser>("""
            SELECT line AS "line", imei AS "imei", primary_user AS "user" FROM device_import_rows WHERE staff_member_id IS NULL ORDER BY line
            """).ToListAsync(ct))
        .Select(u => new ImportRejection(u.Line, $"No staff member has the e-mail address \"{u.User}\".", Imeis.Mask(u.Imei))).ToList();

    private sealed class UnknownUser { public int Line { get; set; } public string Imei { get; set; } = ""; public string User { get; set; } = ""; }

    public async Task<Outcome> MergeAsync(DateTimeOffset now, CancellationToken ct)
    {
        var unknown = await UnknownUsersAsync(ct);
        var merged = await db.Database.SqlQuery<Merged>($"""
            INSERT INTO devices AS d (id, staff_member_id, dependent_id, manufacturer_name, manufacturer_id, model, device_model_id, imei, tac,
                                      os_version, os_version_key, serial_number, device_name, source, registered_at, updated_at)
            SELECT r.id, r.staff_member_id, NULL, r.manufacturer_name, r.manufacturer_id, r.model, r.device_model_id, r.imei, r.tac,
                   r.os_version, r.os_version_key, r.serial_number, r.device_name, 'MdmImport', {now}, {now}
            FROM device_import_rows r WHERE r.staff_member_id IS NOT NULL
            ON CONFLICT (imei) WHERE removed_at IS NULL DO UPDATE SET
                staff_member_id = excluded.staff_member_id, dependent_id = NULL, manufacturer_name = excluded.manufacturer_name,
                manufacturer_id = excluded.manufacturer_id, model = excluded.model, device_model_id = excluded.device_model_id,
                os_version = excluded.os_version, os_version_key = excluded.os_version_key, serial_number = excluded.serial_number,
                device_name = excluded.device_name, source = 'MdmImport', updated_at = excluded.updated_at
            WHERE NOT (d.staff_member_id = excluded.staff_member_id AND d.dependent_id IS NULL AND d.manufacturer_name = excluded.manufacturer_name
                AND d.manufacturer_id IS NOT DISTINCT FROM excluded.manufacturer_id AND d.model = excluded.model
                AND d.device_model_id IS NOT DISTINCT FROM excluded.device_model_id AND d.os_version IS NOT DISTINCT FROM excluded.os_version
                AND d.serial_number IS NOT DISTINCT FROM excluded.serial_number AND d.device_name IS NOT DISTINCT FROM excluded.device_name
                AND d.source = 'MdmImport')
            RETURNING d.id AS "id", (d.xmax = 0) AS "inserted"
            """).ToListAsync(ct);
        var matched = await db.Database.SqlQueryRaw<int>("SELECT count(*)::int AS \"Value\" FROM device_import_rows WHERE staff_member_id IS NOT NULL").SingleAsync(ct);
        var inserted = merged.Count(m => m.Inserted);
        return new Outcome(inserted, merged.Count - inserted, matched - merged.Count, unknown, merged.Select(m => m.Id).ToArray());
    }

    private sealed class Merged { public Guid Id { get; set; } public bool Inserted { get; set; } }
}
