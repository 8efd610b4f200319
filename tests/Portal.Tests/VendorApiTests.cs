using System.Net.Http.Json;
using System.Text.Json;
using Duende.IdentityModel.Client;
using Portal.Web.Domain;

namespace Portal.Tests;

/// <summary>The vendor API (scope vendor.cases) called with a real client-credentials token of Xiaomi's demo client.</summary>
public sealed class VendorApiTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private PortalFixture Portal => fixture.Portal;

    [Fact]
    public async Task A_vendor_system_lists_reads_and_answers_its_own_cases_and_another_vendors_case_is_not_found()
    {
        var officer = await Portal.SignedInAs(Scenarios.Officer);
        var approver = await Portal.SignedInAs(Scenarios.Approver);
        var id = await Portal.DraftAsync(officer, "Vendor API case");
        await Portal.MakePublishableAsync(id);
        var redmiNote = (await Portal.ModelIdAsync("Xiaomi", "Redmi Note"))!.Value;
        (await Portal.TransitionAsync(officer, id, "rules", new()
        {
            ["ManufacturerId"] = (await Portal.ManufacturerIdAsync("Xiaomi"))!.Value.ToString(), ["DeviceModelId"] = redmiNote.ToString(), ["Action"] = "Banned",
        })).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await Portal.TransitionAsync(officer, id, "submit")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await Portal.TransitionAsync(approver, id, "approve")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var caseId = await Portal.Db(db => db.VendorCases.Where(c => c.CircularId == id).Select(c => c.Id).SingleAsync());
        var other = await Portal.Db(async db =>
        {
            var vendor = VendorOrganisation.Create("API Other Phones", null, fixture.Portal.Clock.GetUtcNow());
            db.VendorOrganisations.Add(vendor);
            var foreign = VendorCase.Open(id, vendor.Id, 1, [(redmiNote, "Redmi Note")], fixture.Portal.Clock.GetUtcNow(), 14);
            db.VendorCases.Add(foreign);
            await db.SaveChangesAsync();
            return foreign.Id;
        });

        var token = await fixture.ClientCredentialsAsync("xiaomi-demo");
        token.IsError.ShouldBeFalse(token.Error);
        using var http = fixture.Machine();
        http.SetBearerToken(token.AccessToken!);

        var list = await http.GetFromJsonAsync<JsonElement>("/api/v1/vendor/cases");
        var ids = list.EnumerateArray().Select(c => c.GetProperty("id").GetGuid()).ToList();
        ids.ShouldContain(caseId);
        ids.ShouldNotContain(other);
        var one = await http.GetFromJsonAsync<JsonElement>($"/api/v1/vendor/cases/{caseId}");
        var model = one.GetProperty("models").EnumerateArray().ShouldHaveSingleItem();
        (model.GetProperty("name").GetString(), model.GetProperty("status").GetString()).ShouldBe(("Redmi Note", "Unknown"));
        (await http.GetAsync($"/api/v1/vendor/cases/{other}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var statement = await http.PostAsJsonAsync($"/api/v1/vendor/cases/{caseId}/statements", new { text = "Fixed in 6.0.10.", isPublic = true });
        statement.StatusCode.ShouldBe(HttpStatusCode.Created, await statement.Content.ReadAsStringAsync());
        (await http.PostAsJsonAsync($"/api/v1/vendor/cases/{caseId}/status", new { deviceModelId = redmiNote, status = "FixClaimed" }))
            .StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var verified = await http.PostAsJsonAsync($"/api/v1/vendor/cases/{caseId}/status", new { deviceModelId = redmiNote, status = "FixVerified" });
        verified.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        verified.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var claim = await http.PostAsJsonAsync($"/api/v1/vendor/cases/{caseId}/claims", new
        {
            deviceModelId = redmiNote, kind = "FirmwareUpdate", firmwareVersion = "6.0.10", releasedOn = "2026-02-10", link = "https://www.mi.com/fw",
        });
        claim.StatusCode.ShouldBe(HttpStatusCode.Created, await claim.Content.ReadAsStringAsync());
        var claimId = (await claim.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var note = await http.PostAsync($"/api/v1/vendor/cases/{caseId}/claims/{claimId}/files", ClaimFile(EvidenceScenarios.Pdf, "../release note.pdf"));
        note.StatusCode.ShouldBe(HttpStatusCode.Created, await note.Content.ReadAsStringAsync());
        (await note.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("fileName").GetString().ShouldBe("release note.pdf", "path separators and .. are dropped");
        var program = await http.PostAsync($"/api/v1/vendor/cases/{caseId}/claims/{claimId}/files", ClaimFile([0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00, .. new byte[200]], "fix.pdf"));
        program.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await program.Content.ReadAsStringAsync()).ShouldContain("Windows program");
        (await http.PostAsync($"/api/v1/vendor/cases/{other}/claims/{claimId}/files", ClaimFile(EvidenceScenarios.Pdf, "other.pdf")))
            .StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Portal.Db(db => db.ClaimFiles.Where(f => f.ClaimId == claimId).Select(f => f.FileName).ToListAsync())).ShouldBe(["release note.pdf"]);
        (await Portal.Db(db => db.AuditEvents.CountAsync(e => e.EntityId == claimId && e.Action == "ClaimFileUploaded"))).ShouldBe(1);
        var badCountry = await http.PostAsJsonAsync($"/api/v1/vendor/cases/{caseId}/claims", new { deviceModelId = redmiNote, kind = "DataRelocation", relocatedFrom = "CN", relocatedTo = "ZZ", plannedOn = "2026-06-01" });
        badCountry.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await http.PostAsJsonAsync($"/api/v1/vendor/cases/{other}/statements", new { text = "Not ours." })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var message = await http.PostAsJsonAsync($"/api/v1/vendor/cases/{caseId}/messages", new { body = "The update reaches every phone this month." });
        message.StatusCode.ShouldBe(HttpStatusCode.Created, await message.Content.ReadAsStringAsync());
        (await http.PostAsJsonAsync($"/api/v1/vendor/cases/{caseId}/messages", new { body = "" })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await http.PostAsJsonAsync($"/api/v1/vendor/cases/{other}/messages", new { body = "Not ours." })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await http.GetAsync($"/api/v1/vendor/cases/{other}/messages")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var unit = await Portal.SignedInAs(Scenarios.Officer);
        (await unit.PostFormAsync($"/vendor-cases/{caseId}/messages", new() { ["Body"] = "Thank you; our lab re-tests it." }, $"/vendor-cases/{caseId}"))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var thread = (await http.GetFromJsonAsync<JsonElement>($"/api/v1/vendor/cases/{caseId}/messages")).EnumerateArray().ToList();
        thread.Select(m => (m.GetProperty("fromVendor").GetBoolean(), m.GetProperty("body").GetString())).ShouldBe(
            [(true, "The update reaches every phone this month."), (false, "Thank you; our lab re-tests it.")]);
        thread[1].GetProperty("by").GetString().ShouldBe("Security unit", "the vendor's side never learns the officers' names");

        (await Portal.Db(db => db.VendorCaseModels.Where(m => m.CaseId == caseId).Select(m => m.Status).SingleAsync())).ShouldBe(ModelStatus.FixClaimed);
        (await Portal.Db(db => db.CaseEvents.Where(e => e.CaseId == caseId).Select(e => e.Kind).ToListAsync()))
            .ShouldBe([CaseEventKind.Statement, CaseEventKind.ModelStatusSet, CaseEventKind.ClaimSubmitted, CaseEventKind.Message, CaseEventKind.Message], ignoreOrder: true);
        (await Portal.Db(db => db.CaseEvents.CountAsync(e => e.CaseId == other))).ShouldBe(0);
        var author = await Portal.Db(db => db.CaseStatements.Where(s => s.CaseId == caseId).Select(s => db.Users.Single(u => u.Id == s.PostedById)).SingleAsync());
        author.DisplayName.ShouldEndWith("(xiaomi-demo)", Case.Sensitive, "a machine's statement is recorded against its client's own account");
        (await Portal.Db(db => db.UserRoles.CountAsync(r => r.UserId == author.Id))).ShouldBe(0, "the client's account holds no role and cannot sign in");
        (await Portal.Db(db => db.VendorCases.Where(c => c.Id == caseId).Select(c => c.FirstSeenAt).SingleAsync())).ShouldBeNull("a machine reading is not a person seeing the case");
    }

    private static MultipartFormDataContent ClaimFile(byte[] bytes, string name) => new() { { new ByteArrayContent(bytes), "file", name } };
}
