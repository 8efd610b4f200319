using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Portal.Web.Data;
using Portal.Web.Domain;

namespace Portal.Web.Features.Devices;

/// <summary>
/// Which devices the published rules cover, and the findings that follow, in set-based SQL
/// (docs/decisions/0050-device-compliance.md). A published revision's rules are written once into
/// device_rule_terms (one row per rule: manufacturer, the catalogue models it covered at publication,
/// the model pattern as a regular expression, the firmware bound as a sortable key) and device_rule_tacs
/// (one row per TAC prefix), so matching a million devices is a few hash joins, never a loop.
/// </summary>
public sealed class Compliance(PortalDbContext db)
{
    public sealed record Counts(int Flagged, int Resolved, int Notified);

    /// <summary>
    /// Devices covered by the rules in <paramref name="terms"/> (or <paramref name="tacs"/>): device, circular, the
    /// first covering rule. A device of a known manufacturer matches a rule naming it as a whole, one of its
    /// catalogue models, or by the pattern over the model as typed; any device matches a rule by the TAC of its
    /// IMEI (6, 7 or 8 leading digits). A firmware bound leaves out devices whose version is not below it; a device
    /// with no version stays covered (nothing shows it was fixed).
    /// </summary>
    internal static string MatchesSql(string terms = "device_rule_terms", string tacs = "device_rule_tacs", string devices = "devices") => $"""
        SELECT DISTINCT ON (c.device_id, c.circular_id) c.device_id, c.circular_id, c.revision_number, c.position, c.action, c.staff_member_id
        FROM (
            SELECT d.id AS device_id, d.staff_member_id, d.os_version_key, t.circular_id, t.revision_number, t.position, t.action, t.firmware_below_key
            FROM {devices} d JOIN {terms} t ON t.manufacturer_id = d.manufacturer_id
            WHERE d.removed_at IS NULL
              AND (t.whole_manufacturer OR d.device_model_id = ANY (t.model_ids) OR (t.pattern_regex IS NOT NULL AND d.model ~* t.pattern_regex))
            UNION ALL
            SELECT d.id, d.staff_member_id, d.os_version_key, t.circular_id, t.revision_number, t.position, t.action, t.firmware_below_key
            FROM {devices} d
            CROSS JOIN LATERAL (VALUES (left(d.tac, 6)), (left(d.tac, 7)), (d.tac)) AS p(prefix)
            JOIN {tacs} x ON x.tac_prefix = p.prefix
            JOIN {terms} t ON t.circular_id = x.circular_id AND t.position = x.position
            WHERE d.removed_at IS NULL
        ) c
        WHERE c.firmware_below_key IS NULL OR c.os_version_key IS NULL OR c.os_version_key COLLATE "C" < c.firmware_below_key COLLATE "C"
        ORDER BY c.device_id, c.circular_id, c.position
        """;

    /// <summary>Replaces the circular's rule terms with those of the revision being published.</summary>
    public async Task WriteTermsAsync(CircularRevision revision, CancellationToken ct)
    {
        await db.Database.ExecuteSqlAsync($"DELETE FROM device_rule_terms WHERE circular_id = {revision.CircularId}", ct);
        await InsertTermsAsync(revision.CircularId, revision.Number, revision.Rules, "device_rule_terms", "device_rule_tacs", ct);
    }

    /// <summary>
    /// Writes rules as terms into <paramref name="terms"/> and <paramref name="tacs"/> (the published tables, or
    /// temporary ones of the same shape for a draft's impact preview). The table names are ours, never input.
    /// </summary>
    internal async Task InsertTermsAsync(Guid circularId, int revisionNumber, IReadOnlyList<RuleSnapshot> snapshot, string terms, string tacs, CancellationToken ct)
    {
        var rules = snapshot.Select((rule, i) => (rule, position: i)).ToList();
        if (rules.Count == 0)
            return;
        var positions = rules.Select(r => r.position).ToArray();
        var actions = rules.Select(r => r.rule.Action.ToString()).ToArray();
        var manufacturers = rules.Select(r => r.rule.ManufacturerId).ToArray();
        var whole = rules.Select(r => r.rule.DeviceModelId is null && r.rule.ModelPattern is null && r.rule.TacPrefixes.Length == 0).ToArray();
        // uuid[][] cannot be ragged: each rule's models travel as one comma list and are split in SQL.
        var models = rules.Select(r => string.Join(',', r.rule.Models.Select(m => m.Id).Append(r.rule.DeviceModelId ?? Guid.Empty).Where(g => g != Guid.Empty).Distinct())).ToArray();
        var patterns = rules.Select(r => r.rule.ModelPattern is { } p ? PatternRegex(p) : null).ToArray();
        var below = rules.Select(r => r.rule.FirmwareBelow).ToArray();
        var belowKeys = rules.Select(r => r.rule.FirmwareBelow is { } f ? Versions.Key(f) : null).ToArray();
        var insertTerms = $"""
            INSERT INTO {terms} (circular_id, revision_number, position, action, manufacturer_id, whole_manufacturer, model_ids, pattern_regex, firmware_below, firmware_below_key)
            SELECT @circular_id, @revision_number, r.position, r.action, r.manufacturer_id, r.whole,
                   CASE WHEN r.models = '' THEN ARRAY[]::uuid[] ELSE string_to_array(r.models, ',')::uuid[] END, r.pattern, r.below, r.below_key
            FROM unnest(@positions, @actions, @manufacturers, @whole, @models, @patterns, @below, @below_keys)
                AS r(position, action, manufacturer_id, whole, models, pattern, below, below_key)
            """;
        await db.Database.ExecuteSqlRawAsync(insertTerms,
            [
                new Npgsql.NpgsqlParameter("circular_id", circularId), new Npgsql.NpgsqlParameter("revision_number", revisionNumber),
                new Npgsql.NpgsqlParameter("positions", positions), new Npgsql.NpgsqlParameter("actions", actions),
                new Npgsql.NpgsqlParameter("manufacturers", manufacturers), new Npgsql.NpgsqlParameter("whole", whole),
                new Npgsql.NpgsqlParameter("models", models),
                new Npgsql.NpgsqlParameter("patterns", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text) { Value = patterns },
                new Npgsql.NpgsqlParameter("below", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text) { Value = below },
                new Npgsql.NpgsqlParameter("below_keys", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text) { Value = belowKeys },
            ], ct);
        var tacPositions = rules.SelectMany(r => r.rule.TacPrefixes.Select(_ => r.position)).ToArray();
        var tacPrefixes = rules.SelectMany(r => r.rule.TacPrefixes).ToArray();
        var insertTacs = $"""
            INSERT INTO {tacs} (circular_id, position, tac_prefix)
            SELECT DISTINCT @circular_id, t.position, t.prefix FROM unnest(@positions, @prefixes) AS t(position, prefix)
            """;
        await db.Database.ExecuteSqlRawAsync(insertTacs,
            [
                new Npgsql.NpgsqlParameter("circular_id", circularId), new Npgsql.NpgsqlParameter("positions", tacPositions),
                new Npgsql.NpgsqlParameter("prefixes", tacPrefixes),
            ], ct);
    }

    /// <summary>A rule's wildcard pattern ('*' any run, '?' one character) as an anchored POSIX regular expression.</summary>
    public static string PatternRegex(string pattern) =>
        "^" + Regex.Replace(pattern.Trim(), @"[\\^$.|+()\[\]{}*?]", m => m.Value switch { "*" => ".*", "?" => ".", _ => "\\" + m.Value }) + "$";

    /// <summary>Every device against every published circular (the nightly run).</summary>
    public Task<Counts> ScanAllAsync(DateTimeOffset now, CancellationToken ct) => ScanAsync(null, null, "No longer covered by the published rules", now, ct);

    /// <summary>
    /// The circular being published against every device. It counts as published even before the publishing
    /// transaction has saved its new status.
    /// </summary>
    public Task<Counts> ScanCircularAsync(Guid circularId, DateTimeOffset now, CancellationToken ct) =>
        ScanAsync(null, circularId, "Circular amended: its rules no longer cover the device", now, ct);

    /// <summary>Devices just registered, changed, removed or imported, against every published circular.</summary>
    public Task<Counts> ScanDevicesAsync(Guid[] deviceIds, DateTimeOffset now, CancellationToken ct) =>
        ScanAsync(deviceIds, null, "Device updated: no longer covered", now, ct);

    /// <summary>
    /// A circular withdrawn or superseded: its open findings are resolved at once, in the same transaction, saying
    /// so ("Circular withdrawn"), rather than at the next periodic scan.
    /// </summary>
    public Task<int> ResolveCircularAsync(Guid circularId, CircularStatus status, DateTimeOffset now, CancellationToken ct)
    {
        var resolution = $"Circular {status.ToString().ToLowerInvariant()}";
        return db.Database.ExecuteSqlAsync($"""
            UPDATE compliance_findings SET state = 'Remediated', resolved_at = {now}, resolution = {resolution}
            WHERE circular_id = {circularId} AND state <> 'Remediated'
            """, ct);
    }

    /// <summary>
    /// One statement: opens findings for new matches (and tells owners: in the portal and by e-mail), refreshes
    /// the rule of open ones, and resolves open findings that no longer match, saying how.
    /// The statement's parameters: device_ids, circular_id, now, no_longer (the benchmark explains it).
    /// </summary>
    internal static string ScanSql(bool scopedToDevices, bool scopedToCircular)
    {
        var scopedDevices = !scopedToDevices
            ? "devices"
            : "(SELECT * FROM devices WHERE id = ANY (@device_ids))";
        var scopedTerms = !scopedToCircular
            ? "(SELECT t.* FROM device_rule_terms t JOIN circulars ci ON ci.id = t.circular_id AND ci.status = 'Published')"
            : "(SELECT * FROM device_rule_terms WHERE circular_id = @circular_id)";
        return $"""
            WITH matches AS ({MatchesSql(scopedTerms, "device_rule_tacs", scopedDevices)}),
            opened AS (
                INSERT INTO compliance_findings (device_id, circular_id, revision_number, rule_position, action, state, flagged_at)
                SELECT m.device_id, m.circular_id, m.revision_number, m.position, m.action, 'Flagged', @now
                FROM matches m
                ON CONFLICT (device_id, circular_id) WHERE state <> 'Remediated' DO NOTHING
                RETURNING device_id, circular_id, revision_number
            ),
            refreshed AS (
                UPDATE compliance_findings f SET revision_number = m.revision_number, rule_position = m.position, action = m.action
                FROM matches m
                WHERE f.device_id = m.device_id AND f.circular_id = m.circular_id AND f.state <> 'Remediated'
                  AND (f.revision_number, f.rule_position, f.action) IS DISTINCT FROM (m.revision_number, m.position, m.action)
                RETURNING f.id
            ),
            resolved AS (
                UPDATE compliance_findings f
                SET state = 'Remediated', resolved_at = @now,
                    resolution = CASE WHEN d.removed_at IS NOT NULL THEN left('Device removed: ' || coalesce(d.removal_reason, ''), 200)
                                      WHEN ci.status <> 'Published' AND (@circular_id IS NULL OR ci.id <> @circular_id) THEN 'Circular ' || lower(ci.status)
                                      ELSE @no_longer END
                FROM devices d, circulars ci
                WHERE f.state <> 'Remediated' AND d.id = f.device_id AND ci.id = f.circular_id
                  AND (@device_ids IS NULL OR f.device_id = ANY (@device_ids))
                  AND (@circular_id IS NULL OR f.circular_id = @circular_id)
                  AND NOT EXISTS (SELECT 1 FROM matches m WHERE m.device_id = f.device_id AND m.circular_id = f.circular_id)
                RETURNING f.id
            ),
            owners AS (
                SELECT DISTINCT o.circular_id, o.revision_number, m.staff_member_id
                FROM opened o JOIN matches m ON m.device_id = o.device_id AND m.circular_id = o.circular_id
            ),
            notified AS (
                INSERT INTO notifications (circular_id, revision_number, purpose, channel, staff_member_id, dependent_id, unit_id,
                                           address, language, state, attempts, next_attempt_at, created_at, sent_at)
                SELECT o.circular_id, o.revision_number, 'DeviceFlagged', ch.channel, s.id, NULL, s.unit_id, ch.address, coalesce(su.language, 'en'),
                       CASE WHEN ch.channel = 'InApp' THEN 'Sent' ELSE 'Pending' END, 0,
                       CASE WHEN ch.channel = 'InApp' THEN NULL ELSE @now END, @now, CASE WHEN ch.channel = 'InApp' THEN @now END
                FROM owners o JOIN staff_members s ON s.id = o.staff_member_id
                LEFT JOIN users su ON su.id = s.user_id
                CROSS JOIN LATERAL (VALUES ('InApp', NULL), ('Email', s.email)) AS ch(channel, address)
                WHERE ch.channel = 'InApp' OR ch.address IS NOT NULL
                RETURNING 1
            )
            SELECT (SELECT count(*)::int FROM opened), (SELECT count(*)::int FROM resolved), (SELECT count(*)::int FROM notified)
            """;
    }

    private async Task<Counts> ScanAsync(Guid[]? deviceIds, Guid? circularId, string noLongerCovered, DateTimeOffset now, CancellationToken ct)
    {
        var sql = ScanSql(deviceIds is not null, circularId is not null);
        var connection = (Npgsql.NpgsqlConnection)db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
            await db.Database.OpenConnectionAsync(ct);
        await using var command = new Npgsql.NpgsqlCommand(sql, connection)
        {
            Transaction = (Npgsql.NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction(),
            CommandTimeout = 600,
        };
        command.Parameters.Add(new Npgsql.NpgsqlParameter("device_ids", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Uuid) { Value = (object?)deviceIds ?? DBNull.Value });
        command.Parameters.Add(new Npgsql.NpgsqlParameter("circular_id", NpgsqlTypes.NpgsqlDbType.Uuid) { Value = (object?)circularId ?? DBNull.Value });
        command.Parameters.Add(new Npgsql.NpgsqlParameter("now", NpgsqlTypes.NpgsqlDbType.TimestampTz) { Value = now });
        command.Parameters.Add(new Npgsql.NpgsqlParameter("no_longer", NpgsqlTypes.NpgsqlDbType.Varchar) { Value = noLongerCovered });
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new Counts(reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2));
    }
}
