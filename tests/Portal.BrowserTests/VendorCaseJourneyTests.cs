using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Web.Data;

namespace Portal.BrowserTests;

public sealed class VendorCaseJourneyTests(BrowserFixture browser) : BrowserTest(browser), IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task The_vendor_corrects_a_refused_relocation_claim_and_writes_and_an_officer_asks_for_more_information()
    {
        var caseId = await Db(db => db.VendorCases.Where(c => db.Circulars.Any(x => x.Id == c.CircularId && x.CurrentRevision!.Text.Title == DemoData.PublishedCircularTitle))
            .Select(c => c.Id).FirstAsync());
        var vendor = await Browser.NewPageAsync(phone: true, javaScript: true);
        await Browser.SignInAsync(vendor, "vendor@xiaomi.example");
        await vendor.GotoAsync($"/vendor-cases/{caseId}");
        (await vendor.Locator("main").TextContentAsync())!.ShouldContain("MIUI 6.0.10");
        await Layout.ShouldFitAPhoneAsync(vendor);

        await vendor.GetByLabel("Kind of remediation").SelectOptionAsync("DataRelocation");
        await vendor.GetByLabel("From country (ISO 3166 code, such as CN)").FillAsync("CN");
        await vendor.GetByLabel("To country (ISO 3166 code, such as IN)").FillAsync("XX");
        await vendor.GetByLabel("Planned date").FillAsync("2026-06-01");
        await vendor.GetByRole(AriaRole.Button, new() { Name = "Submit claim" }).ClickAsync();
        (await vendor.Locator(".error-summary").TextContentAsync())!.ShouldContain("\"XX\" is not an ISO 3166 country code");
        (await vendor.GetByLabel("From country (ISO 3166 code, such as CN)").InputValueAsync()).ShouldBe("CN");
        await vendor.GetByLabel("To country (ISO 3166 code, such as IN)").FillAsync("SG");
        await vendor.GetByRole(AriaRole.Button, new() { Name = "Submit claim" }).ClickAsync();
        (await vendor.Locator("[role=status].notice").TextContentAsync())!.ShouldContain("Claim submitted");
        await Layout.ShouldFitAPhoneAsync(vendor);
        await Layout.ShouldStackOnAPhoneAsync(vendor.GetByLabel("Message", new() { Exact = true }), vendor.GetByRole(AriaRole.Button, new() { Name = "Send message" }));
        await vendor.GetByLabel("Message", new() { Exact = true }).FillAsync("The move to Singapore is planned for June.");
        await vendor.GetByRole(AriaRole.Button, new() { Name = "Send message" }).ClickAsync();
        (await vendor.Locator("main").TextContentAsync())!.ShouldContain("The move to Singapore is planned for June.");

        var claimId = await Db(db => db.RemediationClaims.Where(c => c.CaseId == caseId && c.RelocatedTo == "SG").Select(c => c.Id).SingleAsync());
        var officer = await Browser.NewPageAsync();
        await Browser.SignInAsync(officer, "officer@portal.example");
        await officer.GotoAsync($"/vendor-cases/{caseId}");
        var claim = officer.Locator($"#claim-{claimId}");
        await claim.GetByLabel("Ask for more information").CheckAsync();
        await claim.GetByLabel("Reason or information needed").FillAsync("Which data centre in Singapore?");
        await claim.GetByRole(AriaRole.Button, new() { Name = "Save review" }).ClickAsync();
        (await officer.Locator("[role=status].notice").TextContentAsync())!.ShouldContain("Review saved");
        (await officer.Locator($"#claim-{claimId}").TextContentAsync())!.ShouldContain("More information asked for");
    }
}
