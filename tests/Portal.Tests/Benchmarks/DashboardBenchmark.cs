using System.Diagnostics;
using Portal.Web.Domain;
using Xunit.Abstractions;

namespace Portal.Tests.Benchmarks;

/// <summary>A test that runs only when PORTAL_BENCH is set: it builds a large organisation and takes minutes.</summary>
public sealed class BenchmarkFactAttribute : FactAttribute
{
    public BenchmarkFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("PORTAL_BENCH")))
            Skip = "A benchmark: set PORTAL_BENCH=1 to run it.";
    }
}

/// <summary>
/// The acknowledgement dashboard at the scale the design names: about 2,000 units, 200,000 staff and
/// 300,000 family members, so one publication asks 500,000 people and queues over a million notifications.
/// Set PORTAL_BENCH_KEEP=1 to keep the database afterwards (its name is printed) for EXPLAIN ANALYZE.
/// </summary>
public sealed class DashboardBenchmark(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Staff = 200_000;
    private const double TargetMs = 200;
    private string _database = "";
    private PortalFixture _fixture = null!;

    public async Task InitializeAsync()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("PORTAL_BENCH")))
            return;
        _fixture = new PortalFixture();
        await _fixture.InitializeAsync();
        _database = _fixture.Database;
    }

    public async Task DisposeAsync()
    {
        if (_fixture is null)
            return;
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("PORTAL_BENCH_KEEP")))
            await _fixture.DisposeAsync();
        else
            await _fixture.Factory.DisposeAsync();
    }

    private async Task<TimeSpan> TimeAsync(string what, Func<Task> run)
    {
        var watch = Stopwatch.StartNew();
        await run();
        output.WriteLine($"{what}: {watch.Elapsed.TotalSeconds:0.0} s");
        return watch.Elapsed;
    }

    private Task SqlAsync(string sql) => _fixture.Db(db =>
    {
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
        return db.Database.ExecuteSqlRawAsync(sql);
    });

    private async Task<(double Median, double Max)> MeasureAsync(PortalClient client, string url, int runs = 15)
    {
        for (var i = 0; i < 2; i++)
            (await client.Http.GetAsync(url)).EnsureSuccessStatusCode();
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            var response = await client.Http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
            await response.Content.CopyToAsync(Stream.Null);
            times.Add(watch.Elapsed.TotalMilliseconds);
            response.EnsureSuccessStatusCode();
        }
        times.Sort();
        return (times[times.Count / 2], times[^1]);
    }

    /// <summary>Drafted and submitted through the pages; approved through the mediator, with room for a fan-out slower than a page's 30 s command timeout.</summary>
    private async Task<Guid> PublishAsync(string title)
    {
        var officer = await _fixture.SignedInAs(Scenarios.Officer);
        var id = await _fixture.DraftAsync(officer, title, TlpLabel.Green, families: true);
        await _fixture.MakePublishableAsync(id, "AC");
        (await _fixture.TransitionAsync(officer, id, "submit")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var approver = await _fixture.Db(db => db.Users.Where(u => u.Email == Scenarios.Approver).Select(u => u.Id).SingleAsync());
        await using var scope = _fixture.Factory.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<Portal.Web.Data.PortalDbContext>().Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
        await scope.ServiceProvider.GetRequiredService<Portal.Web.Infrastructure.Mediator.IMediator>()
            .Send(new Portal.Web.Features.Circulars.Approve.Command { Id = id, Version = await _fixture.VersionAsync(id), ActorId = approver });
        return id;
    }

    [BenchmarkFact]
    public async Task The_dashboard_of_half_a_million_requests_in_two_thousand_units_answers_within_200_ms()
    {
        output.WriteLine($"Database {_database}");
        await TimeAsync("Units", () => SqlAsync("""
            INSERT INTO units (id, name, code, kind, parent_id, path, depth)
            SELECT x.id, 'Bench Wing ' || x.w, 'BW' || x.w, 'Wing', ac.id, ac.path || replace(x.id::text, '-', '') || '/', 1
            FROM (SELECT gen_random_uuid() AS id, w FROM generate_series(4, 20) w) x, units ac WHERE ac.code = 'AC';
            INSERT INTO units (id, name, code, kind, parent_id, path, depth)
            SELECT x.id, 'Bench Squadron ' || x.code || '-' || x.s, 'BS' || x.code || '-' || x.s, 'Squadron', x.wing, x.path || replace(x.id::text, '-', '') || '/', 2
            FROM (SELECT gen_random_uuid() AS id, w.id AS wing, w.code, w.path, s FROM units w, generate_series(1, 10) s
                  WHERE w.kind = 'Wing' AND (w.code LIKE 'BW%' OR s > 2)) x;
            INSERT INTO units (id, name, code, kind, parent_id, path, depth)
            SELECT x.id, 'Bench Flight ' || x.code || '-' || x.f, 'BF' || x.code || '-' || x.f, 'Flight', x.squadron, x.path || replace(x.id::text, '-', '') || '/', 3
            FROM (SELECT gen_random_uuid() AS id, s.id AS squadron, s.code, s.path, f FROM units s, generate_series(1, 9) f WHERE s.kind = 'Squadron') x;
            """));
        await TimeAsync("Staff and families", () => SqlAsync($"""
            INSERT INTO staff_members (id, service_number, full_name, email, mobile_number, unit_id)
            SELECT gen_random_uuid(), 'BN' || g, 'Bench Person ' || g, 'bn' || g || '@portal.example', '+9190' || lpad(g::text, 8, '0'), f.id
            FROM generate_series(1, {Staff}) g
            JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n, count(*) OVER () AS total FROM units WHERE kind = 'Flight') f ON f.n = g % f.total;
            INSERT INTO dependents (id, staff_member_id, full_name, relationship, email, mobile_number, preferred_language, consent_to_contact)
            SELECT gen_random_uuid(), s.id, 'Spouse of ' || s.full_name, 'Spouse', 'family.' || s.service_number || '@home.example', '+9189' || right(s.mobile_number, 8), 'en', true
            FROM staff_members s WHERE s.service_number LIKE 'BN%'
            UNION ALL
            SELECT gen_random_uuid(), s.id, 'Child of ' || s.full_name, 'Child', NULL, '+9188' || right(s.mobile_number, 8), 'en', true
            FROM staff_members s WHERE s.service_number LIKE 'BN%' AND right(s.service_number, 1) IN ('0', '2', '4', '6', '8');
            ANALYZE units; ANALYZE staff_members; ANALYZE dependents;
            """));
        var id = Guid.Empty;
        await TimeAsync("Publication (fan-out)", async () => id = await PublishAsync("Benchmark circular"));
        // Published four days ago (the benchmark's own back-dating: revisions are otherwise immutable), acknowledged
        // since by 60%; 2% of messages failed, 1% bounced, 5% still pending.
        await TimeAsync("Acknowledgements and delivery outcomes", () => SqlAsync($"""
            ALTER TABLE circular_revisions DISABLE TRIGGER circular_revisions_immutable;
            UPDATE circular_revisions SET published_at = published_at - interval '4 days' WHERE circular_id = '{id}';
            ALTER TABLE circular_revisions ENABLE TRIGGER circular_revisions_immutable;
            UPDATE acknowledgement_requests SET requested_at = requested_at - interval '4 days' WHERE circular_id = '{id}';
            UPDATE acknowledgement_requests SET acknowledged_at = requested_at + random() * interval '4 days', acknowledged_revision = revision_number,
                   channel = CASE WHEN dependent_id IS NULL THEN 'Portal' ELSE 'FamilyLink' END
            WHERE circular_id = '{id}' AND random() < 0.6;
            UPDATE notifications SET state = CASE WHEN r < 0.02 THEN 'Failed' WHEN r < 0.03 THEN 'Bounced' WHEN r < 0.08 THEN 'Pending' ELSE 'Sent' END,
                   attempts = CASE WHEN r < 0.02 THEN 5 ELSE 1 END,
                   last_error = CASE WHEN r < 0.03 THEN '550 5.1.1 <' || address || '>: Recipient address rejected' END
            FROM (SELECT id AS nid, random() AS r FROM notifications WHERE circular_id = '{id}' AND channel <> 'InApp') x
            WHERE id = x.nid;
            """));
        // Autovacuum would get there in time; the benchmark should not depend on when.
        foreach (var table in new[] { "acknowledgement_requests", "notifications", "acknowledgement_tallies", "acknowledgement_hours", "acknowledgement_days", "delivery_tallies" })
            await SqlAsync($"VACUUM ANALYZE {table}");
        var counts = await _fixture.Db(async db => new
        {
            Units = await db.Units.CountAsync(),
            Requests = await db.AcknowledgementRequests.CountAsync(a => a.CircularId == id),
            Notifications = await db.Notifications.CountAsync(n => n.CircularId == id),
        });
        output.WriteLine($"{counts.Units:N0} units, {counts.Requests:N0} acknowledgement requests, {counts.Notifications:N0} notifications");
        counts.Requests.ShouldBeGreaterThanOrEqualTo(500_000);

        var units = await _fixture.Db(db => db.Units.ToDictionaryAsync(u => u.Code, u => u.Id));
        var officer = await _fixture.SignedInAs(Scenarios.Officer);
        var commander = await _fixture.SignedInAs(Scenarios.Commander);
        var pages = new (string What, PortalClient Client, string Url)[]
        {
            ("Officer, whole organisation (21 wings)", officer, $"/circulars/{id}/acknowledgements"),
            ("Officer, one wing (10 squadrons)", officer, $"/circulars/{id}/acknowledgements?unit={units["BW7"]}"),
            ("Officer, one squadron (9 flights)", officer, $"/circulars/{id}/acknowledgements?unit={units["BSBW7-3"]}"),
            ("Commander, own wing", commander, $"/circulars/{id}/acknowledgements"),
        };
        var slow = new List<string>();
        foreach (var (what, client, url) in pages)
        {
            var (median, max) = await MeasureAsync(client, url);
            output.WriteLine($"{what}: median {median:0} ms, max {max:0} ms");
            if (median > TargetMs)
                slow.Add(what);
        }
        // The first two days draw the line by hour: move publication to 47 hours ago, leaving four days of
        // acknowledgements in the hour tallies, twice what those two days can hold.
        await SqlAsync($"""
            ALTER TABLE circular_revisions DISABLE TRIGGER circular_revisions_immutable;
            UPDATE circular_revisions SET published_at = now() - interval '47 hours' WHERE circular_id = '{id}';
            ALTER TABLE circular_revisions ENABLE TRIGGER circular_revisions_immutable;
            """);
        var (hourlyMedian, hourlyMax) = await MeasureAsync(officer, pages[0].Url);
        output.WriteLine($"Officer, whole organisation, by hour: median {hourlyMedian:0} ms, max {hourlyMax:0} ms");
        if (hourlyMedian > TargetMs)
            slow.Add("by hour");

        await TimeAsync("CSV of one wing", async () =>
        {
            var csv = await officer.Http.GetAsync($"/circulars/{id}/acknowledgements.csv?unit={units["BW7"]}", HttpCompletionOption.ResponseHeadersRead);
            await csv.Content.CopyToAsync(Stream.Null);
        });
        await TimeAsync("CSV of the whole organisation", async () =>
        {
            var csv = await officer.Http.GetAsync($"/circulars/{id}/acknowledgements.csv", HttpCompletionOption.ResponseHeadersRead);
            var stream = await csv.Content.ReadAsStreamAsync();
            using var reader = new StreamReader(stream);
            var lines = 0;
            while (await reader.ReadLineAsync() is not null)
                lines++;
            lines.ShouldBe(counts.Requests + 1);
        });
        slow.ShouldBeEmpty($"median above {TargetMs} ms");
    }
}
