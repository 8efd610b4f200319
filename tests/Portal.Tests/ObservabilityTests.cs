using System.Text.Json;

namespace Portal.Tests;

/// <summary>/health/ready with the dispatcher's backlog, and the key ring at rest. Metrics over real ports: ScaleOutTests.</summary>
public sealed class ObservabilityTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private async Task<JsonElement> ReadinessAsync()
    {
        var response = await fixture.Client().Http.GetAsync("/health/ready");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    private static JsonElement Check(JsonElement report, string name) =>
        report.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    [Fact]
    public async Task Readiness_is_degraded_once_the_oldest_due_notification_has_waited_past_the_limit()
    {
        var now = fixture.Factory.Clock.GetUtcNow();
        await fixture.Db(db => db.Database.ExecuteSqlAsync($"UPDATE notifications SET next_attempt_at = {now} WHERE state = 'Pending'"));
        await fixture.Db(db => db.Database.ExecuteSqlAsync($"""
            INSERT INTO notifications (circular_id, revision_number, purpose, channel, staff_member_id, address, language, state, attempts, next_attempt_at, created_at)
            SELECT circular_id, revision_number, 'Published', 'Email', staff_member_id, 'late@portal.example', 'en', 'Pending', 0, {now}, {now}
            FROM acknowledgement_requests LIMIT 1
            """));

        var fresh = await ReadinessAsync();
        fixture.Factory.Clock.Advance(TimeSpan.FromMinutes(31));
        JsonElement late;
        try
        {
            late = await ReadinessAsync();
        }
        finally
        {
            fixture.Factory.Clock.Advance(TimeSpan.FromMinutes(-31));
        }

        fresh.GetProperty("status").GetString().ShouldBe("Healthy");
        Check(fresh, "dispatch").GetProperty("data").GetProperty("pending").GetInt64().ShouldBeGreaterThan(0);
        late.GetProperty("status").GetString().ShouldBe("Degraded");
        Check(late, "dispatch").GetProperty("status").GetString().ShouldBe("Degraded");
        Check(late, "dispatch").GetProperty("description").GetString()!.ShouldContain("waited 31 minute(s), more than 30");
        Check(late, "database").GetProperty("status").GetString().ShouldBe("Healthy");
    }

    [Fact]
    public async Task The_key_ring_is_stored_encrypted_with_the_configured_certificate()
    {
        var staff = await fixture.SignedInAs(Scenarios.Staff);
        (await staff.Http.GetAsync("/inbox")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var keys = await fixture.Db(db => db.DataProtectionKeys.Select(k => k.Xml).ToListAsync());
        keys.ShouldNotBeEmpty();
        keys.ShouldAllBe(xml => xml.Contains("<encryptedSecret") && xml.Contains("EncryptedXmlDecryptor") && !xml.Contains("<masterKey"));
    }

    [Fact]
    public async Task Metrics_are_not_served_without_a_metrics_port()
    {
        (await fixture.Client().Http.GetAsync("/metrics")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var officer = await fixture.SignedInAs(Scenarios.Officer);
        (await officer.Http.GetAsync("/metrics")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
