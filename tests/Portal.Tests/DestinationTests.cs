using System.Text.Json.Nodes;
using Portal.Web.Domain;
using Portal.Web.Features.Evidence;

namespace Portal.Tests;

public sealed class DestinationTests(EvidenceFixture evidence) : IClassFixture<EvidenceFixture>
{
    private PortalFixture Fixture => evidence.Portal;

    /// <summary>A published TLP:CLEAR circular whose lab saw contacts and SMS go to one host in China and the IMEI to an address in Singapore.</summary>
    private async Task<Guid> PublishedWithFindingsAsync(string title, TlpLabel tlp = TlpLabel.Clear)
    {
        var officer = await Fixture.SignedInAs(Scenarios.Officer);
        var approver = await Fixture.SignedInAs(Scenarios.Approver);
        var id = await Fixture.DraftAsync(officer, title, tlp);
        await Fixture.MakePublishableAsync(id);
        var first = await Fixture.RecordEvidenceAsync(officer, id, "LAB/2026/117");
        (await Fixture.AddFindingAsync(officer, id, first, EvidenceScenarios.Finding(DataCategory.Contacts, "collect.example.cn", "CN", ip: "203.0.113.7"))).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await Fixture.AddFindingAsync(officer, id, first, EvidenceScenarios.Finding(DataCategory.Sms, "collect.example.cn", "CN", ip: "203.0.113.7"))).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await Fixture.AddFindingAsync(officer, id, first, EvidenceScenarios.Finding(DataCategory.Imei, "", "SG", ip: "2001:db8::7"))).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var second = await Fixture.RecordEvidenceAsync(officer, id, "LAB/2026/118");
        (await Fixture.AddFindingAsync(officer, id, second, EvidenceScenarios.Finding(DataCategory.CarrierName, "=cmd.example.cn", "CN"))).StatusCode
            .ShouldBe(HttpStatusCode.BadRequest, "not a host name: refused, so it never reaches a zone file or a spreadsheet");
        (await Fixture.AddFindingAsync(officer, id, second, EvidenceScenarios.Finding(DataCategory.CarrierName, "stats.example.com", "US"))).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await Fixture.TransitionAsync(officer, id, "submit")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await Fixture.TransitionAsync(approver, id, "approve")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        return id;
    }

    [Fact]
    public async Task The_circular_page_shows_each_destination_once_with_its_data_categories_country_and_lab()
    {
        var id = await PublishedWithFindingsAsync("Destinations table");
        var staff = await Fixture.SignedInAs(Scenarios.Staff);

        var (_, page) = await staff.GetPageAsync($"/circulars/{id}");

        var rows = page.QuerySelectorAll("table.destinations tbody tr")
            .Select(tr => string.Join(" | ", tr.QuerySelectorAll("td").Select(td => td.TextContent.Trim()))).ToList();
        rows.ShouldBe([
            "collect.example.cn | 203.0.113.7 | CN | contacts, SMS (unencrypted) | Defence device lab | 2 Mar 2026",
            "stats.example.com | – | US | carrier name (unencrypted) | Defence device lab | 2 Mar 2026",
            "– | 2001:db8::7 | SG | IMEI (unencrypted) | Defence device lab | 2 Mar 2026",
        ]);
    }

    [Fact]
    public async Task The_page_takes_a_revisions_destinations_from_its_cached_content_equal_to_a_fresh_read_and_follows_an_amendment()
    {
        var id = await PublishedWithFindingsAsync("Cached destinations");
        var staff = await Fixture.SignedInAs(Scenarios.Staff);
        var officer = await Fixture.SignedInAs(Scenarios.Officer);
        var cache = Fixture.Factory.Services.GetRequiredService<Portal.Web.Features.Circulars.RevisionContentCache>();

        var cached = await DestinationRowsAsync(staff, id);
        cached.Count.ShouldBe(3);
        var revision = await Fixture.Db(db => db.Circulars.Where(c => c.Id == id).Select(c => c.CurrentRevisionId!.Value).SingleAsync());
        cache.Holds(revision).ShouldBeTrue();
        // The officer's page reads the working copy's evidence afresh, as the staff page did before the cache.
        (await DestinationRowsAsync(officer, id)).ShouldBe(cached);
        var content = await Fixture.Db(db => cache.GetAsync(db, revision, CancellationToken.None));
        var fresh = await Fixture.Db(db => Destinations.OfAsync(db, id, revision, CancellationToken.None));
        System.Text.Json.JsonSerializer.Serialize(content.Destinations).ShouldBe(System.Text.Json.JsonSerializer.Serialize(fresh));

        // An amendment citing new evidence is a new revision: the page shows its destinations at once.
        (await Fixture.TransitionAsync(officer, id, "amend")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var retest = await Fixture.RecordEvidenceAsync(officer, id, "LAB/2026/140 re-test");
        (await Fixture.AddFindingAsync(officer, id, retest, EvidenceScenarios.Finding(DataCategory.Location, "new.example.net", "RU"))).StatusCode
            .ShouldBe(HttpStatusCode.Redirect);
        (await Fixture.TransitionAsync(officer, id, "submit", new() { ["ChangeSummary"] = "Re-tested.", ["ChangeKind"] = "Material", ["IsAmendment"] = "true" }))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await Fixture.TransitionAsync(await Fixture.SignedInAs(Scenarios.Approver), id, "approve")).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var amended = await DestinationRowsAsync(staff, id);
        amended.Count.ShouldBe(4);
        amended.ShouldContain(r => r.StartsWith("new.example.net", StringComparison.Ordinal));
        (await DestinationRowsAsync(officer, id)).ShouldBe(amended);
    }

    private static async Task<List<string>> DestinationRowsAsync(PortalClient client, Guid id)
    {
        var (response, page) = await client.GetPageAsync($"/circulars/{id}");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return page.QuerySelectorAll("table.destinations tbody tr")
            .Select(tr => string.Join(" | ", tr.QuerySelectorAll("td").Select(td => td.TextContent.Trim()))).ToList();
    }

    [Fact]
    public async Task Network_teams_download_a_host_blocklist_an_RPZ_zone_and_CSV()
    {
        var id = await PublishedWithFindingsAsync("Destinations exports");
        var anonymous = Fixture.Client();

        var blocklist = await anonymous.Http.GetAsync($"/circulars/{id}/destinations.txt");
        var zone = await anonymous.Http.GetAsync($"/circulars/{id}/destinations.rpz");
        var csv = await anonymous.Http.GetAsync($"/circulars/{id}/destinations.csv");

        blocklist.StatusCode.ShouldBe(HttpStatusCode.OK, "a TLP:CLEAR circular's exports need no account");
        blocklist.Content.Headers.ContentDisposition!.DispositionType.ShouldBe("attachment");
        var lines = (await blocklist.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Where(l => !l.StartsWith('#')).ShouldBe(["collect.example.cn", "stats.example.com"]);

        var rpz = (await zone.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        rpz.ShouldContain("collect.example.cn CNAME .");
        rpz.ShouldContain("*.collect.example.cn CNAME .");
        rpz.ShouldContain("32.7.113.0.203.rpz-ip CNAME .");
        rpz.ShouldContain("128.7.0.0.0.0.0.db8.2001.rpz-ip CNAME .");
        rpz.ShouldContain(l => l.StartsWith("@ IN SOA "));

        csv.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        var csvLines = (await csv.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        csvLines[0].ShouldBe("host,ip_address,country,data_categories,sent_unencrypted,labs,last_tested");
        csvLines[1].ShouldBe("collect.example.cn,203.0.113.7,CN,contacts; SMS,yes,Defence device lab,2026-03-02");
        csvLines.Length.ShouldBe(4);
    }

    [Fact]
    public async Task Exports_of_a_circular_one_may_not_read_answer_404()
    {
        var id = await PublishedWithFindingsAsync("Destinations of an amber circular", TlpLabel.Amber);
        var officer = await Fixture.SignedInAs(Scenarios.Officer);
        var draft = await Fixture.DraftAsync(officer, "Draft destinations");

        (await Fixture.Client().Http.GetAsync($"/circulars/{id}/destinations.txt")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Fixture.Client().Http.GetAsync($"/circulars/{draft}/destinations.rpz")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await (await Fixture.SignedInAs(Scenarios.Staff)).Http.GetAsync($"/circulars/{draft}/destinations.csv")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Fixture.Client().Http.GetAsync($"/circulars/{Guid.NewGuid()}/destinations.csv")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await officer.Http.GetAsync($"/circulars/{id}/destinations.txt")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_CSAF_document_carries_the_findings_as_notes_and_stays_valid()
    {
        var id = await PublishedWithFindingsAsync("Destinations in CSAF");
        var staff = await Fixture.SignedInAs(Scenarios.Staff);

        var json = await staff.Http.GetStringAsync($"/circulars/{id}/revisions/1/csaf.json");

        var csaf = await CsafChecks.ShouldBeValidDocumentAsync(json);
        var notes = csaf["document"]!["notes"]!.AsArray().Select(n => (Title: (string)n!["title"]!, Text: (string)n["text"]!, Category: (string)n["category"]!)).ToList();
        var findings = notes.Single(n => n.Title == "Findings: data sent and where");
        findings.Category.ShouldBe("details");
        findings.Text.ShouldContain("- contacts, SMS sent to collect.example.cn (203.0.113.7) in CN, unencrypted; Defence device lab, tested 2026-03-02");
        var machine = notes.Single(n => n.Title == "Destinations (CSV)");
        machine.Text.Split("\r\n")[0].ShouldBe(string.Join(',', Destinations.CsvHeader));
        machine.Text.ShouldContain("2001:db8::7,SG,IMEI,yes");
    }

    [Fact]
    public void Response_IP_triggers_follow_the_RPZ_format()
    {
        Destinations.ResponseIpTrigger("198.51.100.23").ShouldBe("32.23.100.51.198.rpz-ip");
        Destinations.ResponseIpTrigger("2001:db8::1:2").ShouldBe("128.2.1.0.0.0.0.db8.2001.rpz-ip");
        Destinations.ResponseIpTrigger("not an address").ShouldBeNull();
    }
}
