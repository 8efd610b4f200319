using System.Text.Json.Nodes;
using Portal.Web.Domain;

namespace Portal.Tests.Staleness;

/// <summary>
/// The vendor cases in the CSAF document: they enter at the next published revision (the revision's case record), every
/// document stays valid against the schema and the mandatory tests, and a published revision's document never changes.
/// </summary>
public sealed class CsafCaseTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private async Task<string> DocumentAsync(Guid id, int revision)
    {
        var officer = await fixture.SignedInAs(Scenarios.Officer);
        var response = await officer.Http.GetAsync($"/circulars/{id}/revisions/{revision}/csaf.json");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return await response.Content.ReadAsStringAsync();
    }

    private static IEnumerable<JsonObject> Products(JsonNode? branches) =>
        (branches?.AsArray() ?? []).SelectMany(b => (b!["product"] is JsonObject p ? [p] : Array.Empty<JsonObject>()).Concat(Products(b!["branches"])));

    private static string ProductId(JsonNode csaf, string name) =>
        (string)Products(csaf["product_tree"]!["branches"]).Single(p => (string)p["name"]! == name)["product_id"]!;

    private static List<string> Ids(JsonNode? ids) => (ids?.AsArray() ?? []).Select(i => (string)i!).ToList();

    [Fact]
    public async Task A_verified_fix_accepted_relocation_and_public_statement_enter_at_the_next_amendment_and_the_first_document_stays_as_it_was()
    {
        var (id, caseId) = await fixture.PublishedNamingXiaomiAsync("Cases into CSAF");
        await fixture.StatementAsync(caseId, "We fixed the upload in firmware 6.0.10.", isPublic: true);
        await fixture.StatementAsync(caseId, "Our PSIRT contact is Mr Internal.", isPublic: false);
        await fixture.ClaimAsync(id, caseId, RemediationKind.FirmwareUpdate, "OTA update stops the upload.", "6.0.10",
            "https://xiaomi.example/releases/6.0.10", new DateOnly(2026, 11, 2));
        await fixture.ClaimAsync(id, caseId, RemediationKind.DataRelocation, "Servers moved.", from: "CN", to: "IN", released: new DateOnly(2026, 10, 1), verify: false);
        var first = await DocumentAsync(id, 1);
        first.ShouldNotContain("We fixed the upload", Case.Sensitive, "revision 1 was published before the vendor answered");
        var before = await CsafChecks.ShouldBeValidDocumentAsync(first);
        ((string)before["vulnerabilities"]![0]!["involvements"]![0]!["status"]!).ShouldBe("contact_attempted", "the case opened with revision 1; the vendor had not answered");
        var opened = await fixture.Db(db => db.VendorCases.Where(c => c.Id == caseId).Select(c => c.OpenedAt).SingleAsync());
        ((string)before["vulnerabilities"]![0]!["involvements"]![0]!["date"]!).ShouldBe(Portal.Web.Features.Csaf.CsafNames.Date(opened), "contact was attempted when the case opened");
        before["vulnerabilities"]![0]!["product_status"]!["fixed"].ShouldBeNull();

        await fixture.AmendAsync(id, "The vendor's fix and relocation considered.");

        // Its own address changes once it is no longer the current revision (decision 0010); what it says of the cases does not.
        var after = JsonNode.Parse(await DocumentAsync(id, 1))!;
        JsonNode.DeepEquals(after["vulnerabilities"], before["vulnerabilities"]).ShouldBeTrue("revision 1's case data never changes");
        JsonNode.DeepEquals(after["product_tree"], before["product_tree"]).ShouldBeTrue();
        JsonNode.DeepEquals(after["document"]!["notes"], before["document"]!["notes"]).ShouldBeTrue();
        var json = await DocumentAsync(id, 2);
        json.ShouldNotContain("Mr Internal");
        var csaf = await CsafChecks.ShouldBeValidDocumentAsync(json);
        var redmi = ProductId(csaf, "Xiaomi Redmi Note");
        var fixedProduct = ProductId(csaf, "Xiaomi Redmi Note with firmware 6.0.10 or later");
        var vulnerability = csaf["vulnerabilities"]![0]!;
        var status = vulnerability["product_status"]!;
        Ids(status["fixed"]).ShouldBe([fixedProduct]);
        Ids(status["first_fixed"]).ShouldBe([fixedProduct]);
        Ids(status["known_affected"]).ShouldContain(redmi);
        Ids(status["known_affected"]).ShouldNotContain(fixedProduct);

        var remediations = vulnerability["remediations"]!.AsArray();
        var fix = remediations.Single(r => (string)r!["category"]! == "vendor_fix" && ((string)r["details"]!).Contains("Xiaomi released firmware 6.0.10"))!;
        ((string)fix["url"]!).ShouldBe("https://xiaomi.example/releases/6.0.10");
        ((string)fix["date"]!).ShouldStartWith("2026-11-02T00:00:00");
        Ids(fix["product_ids"]).ShouldBe([redmi]);
        var relocation = remediations.Single(r => (string)r!["category"]! == "mitigation" && ((string)r["details"]!).Contains("from CN to IN"))!;
        ((string)relocation["details"]!).ShouldContain("re-test is pending");
        Ids(relocation["product_ids"]).ShouldBe([redmi]);

        var statement = csaf["document"]!["notes"]!.AsArray().Single(n => ((string)n!["title"]!).StartsWith("Statement by Xiaomi"))!;
        ((string)statement["text"]!).ShouldBe("We fixed the upload in firmware 6.0.10.");
        var involvement = vulnerability["involvements"]!.AsArray().ShouldHaveSingleItem()!;
        ((string)involvement["party"]!).ShouldBe("vendor");
        ((string)involvement["status"]!).ShouldBe("completed");
        ((string)involvement["summary"]!).ShouldContain("Redmi Note fix verified");
        var lastEvent = await fixture.Db(db => db.CaseEvents.Where(e => e.CaseId == caseId).MaxAsync(e => e.OccurredAt));
        ((string)involvement["date"]!).ShouldBe(Portal.Web.Features.Csaf.CsafNames.Date(lastEvent), "the vendor's part dates from the case's latest event");
    }

    [Fact]
    public async Task A_vendor_that_never_answered_is_contact_attempted_and_one_denying_what_the_lab_found_is_disputed()
    {
        var (silent, _) = await fixture.PublishedNamingXiaomiAsync("Vendor never answered");
        await fixture.AmendAsync(silent, "Still no answer.");
        var quiet = await CsafChecks.ShouldBeValidDocumentAsync(await DocumentAsync(silent, 2));
        ((string)quiet["vulnerabilities"]![0]!["involvements"]![0]!["status"]!).ShouldBe("contact_attempted");

        var (denied, caseId) = await fixture.PublishedNamingXiaomiAsync("Vendor denies", "Redmi Note 4G");
        await fixture.SetModelStatusAsync(caseId, "Redmi Note 4G", ModelStatus.NotAffected);
        await fixture.AmendAsync(denied, "The vendor's denial noted.");
        var disputed = await CsafChecks.ShouldBeValidDocumentAsync(await DocumentAsync(denied, 2));
        var vulnerability = disputed["vulnerabilities"]![0]!;
        ((string)vulnerability["involvements"]![0]!["status"]!).ShouldBe("disputed");
        Ids(vulnerability["product_status"]!["known_affected"]).ShouldContain(ProductId(disputed, "Xiaomi Redmi Note 4G"), "the lab's finding stands");
        vulnerability["product_status"]!["known_not_affected"].ShouldBeNull();
    }

    [Fact]
    public async Task A_vendor_saying_no_fix_is_planned_for_a_model_becomes_a_no_fix_planned_remediation_at_the_next_amendment()
    {
        var (id, caseId) = await fixture.PublishedNamingXiaomiAsync("No fix planned", "Redmi 1S");
        var vendor = await fixture.SignedInAs(Scenarios.Vendor);
        var page = $"/vendor-cases/{caseId}";
        var model = (await fixture.ModelIdAsync(CaseScenarios.Vendor, "Redmi 1S"))!.Value;
        var (_, shown) = await vendor.GetPageAsync(page);
        shown.QuerySelectorAll($"#status-{model} option").Select(o => o.GetAttribute("value")).ShouldContain(nameof(ModelStatus.NoFixPlanned));
        (await vendor.PostFormAsync($"{page}/status", new() { ["DeviceModelId"] = model.ToString(), ["Status"] = nameof(ModelStatus.NoFixPlanned) }, page))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await fixture.Db(db => db.VendorCaseModels.Where(m => m.CaseId == caseId).Select(m => m.Status).SingleAsync())).ShouldBe(ModelStatus.NoFixPlanned);

        await fixture.AmendAsync(id, "The vendor will not fix it.");
        var csaf = await CsafChecks.ShouldBeValidDocumentAsync(await DocumentAsync(id, 2));
        var product = ProductId(csaf, "Xiaomi Redmi 1S");
        var vulnerability = csaf["vulnerabilities"]![0]!;
        var remediation = vulnerability["remediations"]!.AsArray().Single(r => (string)r!["category"]! == "no_fix_planned")!;
        ((string)remediation["details"]!).ShouldBe("Xiaomi says no fix is planned for Redmi 1S.");
        Ids(remediation["product_ids"]).ShouldBe([product]);
        Ids(vulnerability["product_status"]!["known_affected"]).ShouldContain(product);
        var involvement = vulnerability["involvements"]!.AsArray().ShouldHaveSingleItem()!;
        ((string)involvement["status"]!).ShouldBe("completed", "no fix planned is the vendor's last word on its only model");
        ((string)involvement["summary"]!).ShouldContain("Redmi 1S affected, no fix planned");
        involvement["date"].ShouldNotBeNull();
    }
}
