using Npgsql;
using Portal.Web.Domain;
using Portal.Web.Features.Dashboards;

namespace Portal.Tests;

/// <summary>TRUNCATE bypasses the tally triggers: one command recounts them, and they then agree with a recount.</summary>
public sealed class TallyRebuildTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    /// <summary>Every non-zero count the tallies hold, as text, and the same recounted from the rows.</summary>
    private const string Tallies = """
        SELECT 'a ' || circular_id || ' ' || revision_number || ' ' || unit_id || ' ' || staff_asked || ' ' || staff_acknowledged || ' ' || family_asked || ' ' || family_acknowledged
        FROM acknowledgement_tallies WHERE staff_asked <> 0 OR staff_acknowledged <> 0 OR family_asked <> 0 OR family_acknowledged <> 0
        UNION ALL SELECT 'h ' || circular_id || ' ' || revision_number || ' ' || unit_id || ' ' || hour || ' ' || acknowledged FROM acknowledgement_hours WHERE acknowledged <> 0
        UNION ALL SELECT 'd ' || circular_id || ' ' || revision_number || ' ' || unit_id || ' ' || day || ' ' || acknowledged FROM acknowledgement_days WHERE acknowledged <> 0
        UNION ALL SELECT 'n ' || circular_id || ' ' || revision_number || ' ' || unit_id || ' ' || channel || ' ' || pending || ' ' || sent || ' ' || failed || ' ' || bounced
        FROM delivery_tallies WHERE pending <> 0 OR sent <> 0 OR failed <> 0 OR bounced <> 0
        """;

    private const string Recount = """
        SELECT 'a ' || circular_id || ' ' || revision_number || ' ' || unit_id || ' ' || count(*) FILTER (WHERE dependent_id IS NULL) || ' '
               || count(*) FILTER (WHERE dependent_id IS NULL AND acknowledged_at IS NOT NULL) || ' ' || count(*) FILTER (WHERE dependent_id IS NOT NULL) || ' '
               || count(*) FILTER (WHERE dependent_id IS NOT NULL AND acknowledged_at IS NOT NULL)
        FROM acknowledgement_requests GROUP BY circular_id, revision_number, unit_id
        UNION ALL SELECT 'h ' || circular_id || ' ' || revision_number || ' ' || unit_id || ' ' || date_trunc('hour', acknowledged_at, 'UTC') || ' ' || count(*)
        FROM acknowledgement_requests WHERE acknowledged_at IS NOT NULL GROUP BY circular_id, revision_number, unit_id, date_trunc('hour', acknowledged_at, 'UTC')
        UNION ALL SELECT 'd ' || circular_id || ' ' || revision_number || ' ' || unit_id || ' ' || (acknowledged_at AT TIME ZONE 'UTC')::date || ' ' || count(*)
        FROM acknowledgement_requests WHERE acknowledged_at IS NOT NULL GROUP BY circular_id, revision_number, unit_id, (acknowledged_at AT TIME ZONE 'UTC')::date
        UNION ALL SELECT 'n ' || circular_id || ' ' || revision_number || ' ' || unit_id || ' ' || channel || ' ' || count(*) FILTER (WHERE state = 'Pending') || ' '
               || count(*) FILTER (WHERE state = 'Sent') || ' ' || count(*) FILTER (WHERE state = 'Failed') || ' ' || count(*) FILTER (WHERE state = 'Bounced')
        FROM notifications WHERE circular_id IS NOT NULL AND unit_id IS NOT NULL GROUP BY circular_id, revision_number, unit_id, channel
        """;

    [Fact]
    public async Task After_a_truncate_the_rebuilt_tallies_agree_with_a_recount()
    {
        var id = await fixture.PublishedCircularAsync("Tallies recounted", TlpLabel.Green, "AC", families: true);
        var staff = await fixture.SignedInAs(Scenarios.Staff);
        (await staff.PostFormAsync($"/circulars/{id}/acknowledge", new() { ["Revision"] = "1" }, $"/circulars/{id}")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await ReadAsync(Tallies)).ShouldBe(await ReadAsync(Recount), "the triggers keep the tallies");

        await ExecuteAsync("TRUNCATE acknowledgement_tallies, acknowledgement_hours, acknowledgement_days, delivery_tallies");
        (await ReadAsync(Tallies)).ShouldNotBe(await ReadAsync(Recount), "a TRUNCATE bypasses the triggers");

        await fixture.SendAsync(new RebuildTallies.Command());

        (await ReadAsync(Tallies)).ShouldBe(await ReadAsync(Recount));
    }

    private async Task<List<string>> ReadAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
