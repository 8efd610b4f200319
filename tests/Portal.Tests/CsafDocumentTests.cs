using System.Text.Json.Nodes;
using Portal.Web.Domain;

namespace Portal.Tests;

/// <summary>Each published revision as a CSAF 2.0 document: every document a test produces passes the schema and the mandatory tests.</summary>
public sealed class CsafDocumentTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task A_clear_circular_is_a_valid_security_advisory_without_its_internal_notes()
    {
        var fields = Scenarios.DraftFields(fixture.Clock, "Model X leaks contacts abroad");
        fields["InternalNotes"] = "Source is an informant; do not disclose INTERNAL-7731.";
        var id = await fixture.PublishedWithAsync(fields);
        var reference = await fixture.ReferenceNumberAsync(id);
        var staff = await fixture.SignedInAs(Scenarios.Staff);

        var response = await staff.Http.GetAsync($"/circulars/{id}/revisions/1/csaf.json");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        var json = await response.Content.ReadAsStringAsync();
        json.ShouldNotContain("INTERNAL-7731");
        var csaf = await CsafChecks.ShouldBeValidDocumentAsync(json);
        var document = csaf["document"]!;
        ((string)document["category"]!).ShouldBe("csaf_security_advisory");
        ((string)document["csaf_version"]!).ShouldBe("2.0");
        ((string)document["lang"]!).ShouldBe("en");
        ((string)document["title"]!).ShouldBe("Model X leaks contacts abroad");
        ((string)document["publisher"]!["namespace"]!).ShouldBe("http://localhost:5080");
        ((string)document["publisher"]!["name"]!).ShouldBe("Advisory Portal security unit");
        ((string)document["distribution"]!["tlp"]!["label"]!).ShouldBe("WHITE");
        ((string)document["distribution"]!["text"]!).ShouldStartWith("TLP:CLEAR");
        ((string)document["aggregate_severity"]!["text"]!).ShouldBe("High");
        var tracking = document["tracking"]!;
        ((string)tracking["id"]!).ShouldBe(reference);
        ((string)tracking["status"]!).ShouldBe("final");
        ((string)tracking["version"]!).ShouldBe("1");
        ((string)tracking["current_release_date"]!).ShouldBe((string)tracking["initial_release_date"]!);
        Titles(document["notes"]!).ShouldBe(["Summary", "Background", "Risk assessment", "Impact", "Required actions", "Devices covered", "References"]);
        var self = document["references"]!.AsArray().First(r => (string)r!["category"]! == "self")!;
        ((string)self["url"]!).ShouldBe($"http://localhost:5080/.well-known/csaf/white/{await fixture.WhitePathAsync(id)}");

        var vendor = csaf["product_tree"]!["branches"]!.AsArray().ShouldHaveSingleItem()!;
        ((string)vendor["category"]!).ShouldBe("vendor");
        ((string)vendor["name"]!).ShouldBe(Scenarios.TestManufacturer);
        var model = vendor["branches"]!.AsArray().ShouldHaveSingleItem()!;
        ((string)model["category"]!).ShouldBe("product_name");
        var productId = (string)model["product"]!["product_id"]!;
        productId.ShouldStartWith("CSAFPID-");
        var vulnerability = csaf["vulnerabilities"]!.AsArray().ShouldHaveSingleItem()!;
        Ids(vulnerability["product_status"]!["known_affected"]!).ShouldBe([productId]);
        var remediation = vulnerability["remediations"]!.AsArray().ShouldHaveSingleItem()!;
        ((string)remediation["category"]!).ShouldBe("workaround");
        ((string)remediation["details"]!).ShouldContain($"Banned by circular {reference}");
    }

    [Theory]
    [InlineData(TlpLabel.Green, "GREEN")]
    [InlineData(TlpLabel.Amber, "AMBER")]
    [InlineData(TlpLabel.AmberStrict, "AMBER")]
    [InlineData(TlpLabel.Red, "RED")]
    public async Task Tlp_2_labels_map_to_the_tlp_1_labels_of_csaf_and_the_original_is_kept_in_the_text(TlpLabel tlp, string label)
    {
        var id = await fixture.PublishedCircularAsync($"Labelled {tlp}", tlp);
        var staff = await fixture.SignedInAs(Scenarios.Staff);

        var json = await (await staff.Http.GetAsync($"/circulars/{id}/revisions/1/csaf.json")).Content.ReadAsStringAsync();

        var distribution = (await CsafChecks.ShouldBeValidDocumentAsync(json))["document"]!["distribution"]!;
        ((string)distribution["tlp"]!["label"]!).ShouldBe(label);
        ((string)distribution["text"]!).ShouldStartWith(tlp.Display());
        // Not on the provider, so the document's own address is the revision's, behind sign-in.
        json.ShouldContain($"\"url\": \"http://localhost:5080/circulars/{id}/revisions/1/csaf.json\"");
    }

    [Fact]
    public async Task An_amended_circular_lists_both_revisions_and_each_revision_keeps_its_own_document()
    {
        var id = await fixture.PublishedCircularAsync("Model Y sends SMS abroad", TlpLabel.Amber);
        var changed = Scenarios.DraftFields(fixture.Clock, "Model Y sends SMS and contacts abroad", TlpLabel.Amber);
        await fixture.AmendAsync(id, "The lab also found contacts leaving.", changed, RevisionKind.Material);
        var staff = await fixture.SignedInAs(Scenarios.Staff);

        var second = await CsafChecks.ShouldBeValidDocumentAsync(await staff.Http.GetStringAsync($"/circulars/{id}/revisions/2/csaf.json"));
        var first = await CsafChecks.ShouldBeValidDocumentAsync(await staff.Http.GetStringAsync($"/circulars/{id}/revisions/1/csaf.json"));

        var tracking = second["document"]!["tracking"]!;
        ((string)tracking["version"]!).ShouldBe("2");
        var history = tracking["revision_history"]!.AsArray();
        history.Select(h => (string)h!["number"]!).ShouldBe(["1", "2"]);
        ((string)history[0]!["summary"]!).ShouldBe("First publication.");
        ((string)history[1]!["summary"]!).ShouldBe("Material amendment: The lab also found contacts leaving.");
        ((string)tracking["initial_release_date"]!).ShouldBe((string)history[0]!["date"]!);
        ((string)tracking["current_release_date"]!).ShouldBe((string)history[1]!["date"]!);
        ((string)tracking["id"]!).ShouldBe((string)first["document"]!["tracking"]!["id"]!);
        ((string)second["document"]!["title"]!).ShouldBe("Model Y sends SMS and contacts abroad");

        ((string)first["document"]!["tracking"]!["version"]!).ShouldBe("1");
        first["document"]!["tracking"]!["revision_history"]!.AsArray().Count.ShouldBe(1);
        ((string)first["document"]!["title"]!).ShouldBe("Model Y sends SMS abroad");
        // Product ids follow the model, not the document, so a consumer can match them across revisions.
        Ids(second["vulnerabilities"]![0]!["product_status"]!["known_affected"]!)
            .ShouldBe(Ids(first["vulnerabilities"]![0]!["product_status"]!["known_affected"]!));
    }

    [Fact]
    public async Task A_withdrawn_circular_says_so_first_and_its_release_date_moves_to_the_withdrawal()
    {
        var id = await fixture.PublishedCircularAsync("Model Z was misidentified");
        await fixture.WithdrawAsync(id, "The lab tested a counterfeit unit.");
        var staff = await fixture.SignedInAs(Scenarios.Staff);

        var csaf = await CsafChecks.ShouldBeValidDocumentAsync(await staff.Http.GetStringAsync($"/circulars/{id}/revisions/1/csaf.json"));

        var document = csaf["document"]!;
        ((string)document["tracking"]!["status"]!).ShouldBe("final");
        ((string)document["tracking"]!["version"]!).ShouldBe("1");
        var note = document["notes"]![0]!;
        ((string)note["title"]!).ShouldBe("Withdrawn");
        ((string)note["text"]!).ShouldContain("The lab tested a counterfeit unit.");
        var closedAt = await fixture.Db(db => db.Circulars.Where(c => c.Id == id).Select(c => c.ClosedAt!.Value).SingleAsync());
        DateTimeOffset.Parse((string)document["tracking"]!["current_release_date"]!).ShouldBe(closedAt, TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task A_superseded_circular_names_and_links_its_replacement()
    {
        var old = await fixture.PublishedCircularAsync("Model W: first findings");
        var replacement = await fixture.PublishedCircularAsync("Model W: full lab report");
        await fixture.SupersedeAsync(old, replacement, "The full report covers more models.");
        var staff = await fixture.SignedInAs(Scenarios.Staff);

        var csaf = await CsafChecks.ShouldBeValidDocumentAsync(await staff.Http.GetStringAsync($"/circulars/{old}/revisions/1/csaf.json"));

        var replacementReference = await fixture.ReferenceNumberAsync(replacement);
        var note = csaf["document"]!["notes"]![0]!;
        ((string)note["title"]!).ShouldBe("Superseded");
        ((string)note["text"]!).ShouldContain(replacementReference);
        var link = csaf["document"]!["references"]!.AsArray().Single(r => ((string)r!["summary"]!).StartsWith("Superseded by", StringComparison.Ordinal))!;
        ((string)link["category"]!).ShouldBe("external");
        ((string)link["url"]!).ShouldBe($"http://localhost:5080/.well-known/csaf/white/{await fixture.WhitePathAsync(replacement)}");
    }

    [Fact]
    public async Task Firmware_ranges_monitored_models_unmatched_patterns_and_sources_map_to_csaf()
    {
        var id = await fixture.PublishedWithAsync(Scenarios.DraftFields(fixture.Clock, "Several Scenario phones"), arrange: async (db, circular) =>
        {
            var officer = await db.Users.SingleAsync(u => u.Email == Scenarios.Officer);
            var manufacturer = await db.Manufacturers.SingleAsync(m => m.Name == Scenarios.TestManufacturer);
            var now = fixture.Clock.GetUtcNow();
            var older = DeviceModel.Create(manufacturer.Id, "Scenario Old One", ["SO-1", "SO-1B"], [], now);
            var watched = DeviceModel.Create(manufacturer.Id, "Scenario Watched", [], [], now);
            db.DeviceModels.AddRange(older, watched);
            circular.AddRule(manufacturer.Id, older.Id, null, [], "V12.0.3", RuleAction.Banned, null, officer.Id, now);
            circular.AddRule(manufacturer.Id, watched.Id, null, [], null, RuleAction.Monitor, "Reports of beaconing.", officer.Id, now);
            circular.AddRule(manufacturer.Id, null, "Nonexistent Z*", [], null, RuleAction.Restricted, null, officer.Id, now);
            circular.AddSource(SourceKind.CertAdvisory, "CIVN-2026-0042", "Data leak in phones", "https://cert.example/CIVN-2026-0042", officer.Id, now);
            circular.AddSource(SourceKind.LabReport, "LAB-17", "Bench test", null, officer.Id, now);
        });
        var staff = await fixture.SignedInAs(Scenarios.Staff);

        var json = await staff.Http.GetStringAsync($"/circulars/{id}/revisions/1/csaf.json");

        var csaf = await CsafChecks.ShouldBeValidDocumentAsync(json);
        var models = csaf["product_tree"]!["branches"]![0]!["branches"]!.AsArray();
        var older = models.Single(m => (string)m!["name"]! == "Scenario Old One")!;
        var range = older["branches"]!.AsArray().ShouldHaveSingleItem()!;
        ((string)range["category"]!).ShouldBe("product_version_range");
        ((string)range["name"]!).ShouldBe("vers:generic/<V12.0.3");
        Ids(range["product"]!["product_identification_helper"]!["model_numbers"]!).ShouldBe(["SO-1", "SO-1B"]);
        var olderId = (string)range["product"]!["product_id"]!;
        var watchedId = (string)models.Single(m => (string)m!["name"]! == "Scenario Watched")!["product"]!["product_id"]!;
        var patternId = (string)models.Single(m => (string)m!["name"]! == "Models matching \"Nonexistent Z*\"")!["product"]!["product_id"]!;

        var vulnerability = csaf["vulnerabilities"]![0]!;
        Ids(vulnerability["product_status"]!["known_affected"]!).ShouldContain(olderId);
        Ids(vulnerability["product_status"]!["known_affected"]!).ShouldContain(patternId);
        Ids(vulnerability["product_status"]!["under_investigation"]!).ShouldBe([watchedId]);
        var remediations = vulnerability["remediations"]!.AsArray();
        remediations.Single(r => (string)r!["category"]! == "vendor_fix")!["details"]!.ToString().ShouldContain("V12.0.3 or later");
        Ids(remediations.Single(r => (string)r!["category"]! == "mitigation")!["product_ids"]!).ShouldBe([patternId]);
        Ids(remediations.Single(r => (string)r!["category"]! == "workaround")!["product_ids"]!).ShouldContain(olderId);
        remediations.ShouldNotContain(r => Ids(r!["product_ids"]!).Contains(watchedId));

        var references = csaf["document"]!["references"]!.AsArray();
        references.ShouldContain(r => (string)r!["url"]! == "https://cert.example/CIVN-2026-0042" && (string)r["category"]! == "external");
        var notes = csaf["document"]!["notes"]!.AsArray();
        notes.Single(n => (string)n!["title"]! == "References")!["text"]!.ToString().ShouldContain("Lab report LAB-17: Bench test");
        notes.Single(n => (string)n!["title"]! == "Devices covered")!["text"]!.ToString().ShouldContain("Monitor: Scenario Phones Scenario Watched. Reports of beaconing.");
    }

    [Fact]
    public async Task Anonymous_readers_cannot_fetch_the_document_of_an_amber_circular()
    {
        var id = await fixture.PublishedCircularAsync("Amber for staff only", TlpLabel.Amber);

        var response = await fixture.Client().Http.GetAsync($"/circulars/{id}/revisions/1/csaf.json");

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.ShouldContain("/account/sign-in");
    }

    [Fact]
    public async Task Staff_outside_the_audience_and_vendors_of_other_products_get_not_found()
    {
        var id = await fixture.PublishedCircularAsync("Amber for 2 Wing", TlpLabel.Amber, audienceUnitCode: "W2");

        var staff = await fixture.SignedInAs(Scenarios.Staff);
        (await staff.Http.GetAsync($"/circulars/{id}/revisions/1/csaf.json")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var vendor = await fixture.SignedInAs(Scenarios.Vendor);
        (await vendor.Http.GetAsync($"/circulars/{id}/revisions/1/csaf.json")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var auditor = await fixture.SignedInAs(Scenarios.Auditor);
        (await auditor.Http.GetAsync($"/circulars/{id}/revisions/1/csaf.json")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await auditor.Http.GetAsync($"/circulars/{id}/revisions/2/csaf.json")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_draft_has_no_document()
    {
        var officer = await fixture.SignedInAs(Scenarios.Officer);
        var id = await fixture.DraftAsync(officer, "Still a draft");

        (await officer.Http.GetAsync($"/circulars/{id}/revisions/1/csaf.json")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    private static List<string> Titles(JsonNode notes) => notes.AsArray().Select(n => (string)n!["title"]!).ToList();

    private static List<string> Ids(JsonNode ids) => ids.AsArray().Select(i => (string)i!).ToList();
}
