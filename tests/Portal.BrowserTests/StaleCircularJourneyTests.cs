using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Web.Data;
using Portal.Web.Domain;

namespace Portal.BrowserTests;

/// <summary>
/// The story of issue 9, through the real pages: the vendor claims an over-the-air fix with its release note, an officer
/// accepts it and records the lab's re-test as evidence linked to the claim, a second officer verifies it, the circular
/// is shown stale, an officer amends it from the verified fix, an approver approves and the banner goes. Only the
/// publication that opens the case is arranged (through the same approval command the page sends).
/// </summary>
public sealed class StaleCircularJourneyTests(BrowserFixture browser) : BrowserTest(browser), IClassFixture<BrowserFixture>
{
    private const string Title = "Redmi Note uploads contacts (story)";

    [Fact]
    public async Task A_vendors_fix_is_claimed_retested_verified_by_a_second_officer_and_the_amendment_it_offers_clears_the_banner()
    {
        var id = await Browser.PublishedNamingAsync("Xiaomi", "Redmi Note", Title);
        var caseId = await Db(db => db.VendorCases.Where(c => c.CircularId == id).Select(c => c.Id).SingleAsync());

        // The vendor, on a phone: the claim, its release note and a word in the thread.
        var vendor = await Browser.NewPageAsync(phone: true, javaScript: true);
        await Browser.SignInAsync(vendor, "vendor@xiaomi.example");
        await vendor.GotoAsync($"/vendor-cases/{caseId}");
        await vendor.GetByLabel("Kind of remediation").SelectOptionAsync(nameof(RemediationKind.FirmwareUpdate));
        await vendor.GetByLabel("Description").FillAsync("Over-the-air update 6.0.10 stops the upload of contacts.");
        await vendor.GetByLabel("Firmware version").FillAsync("6.0.10");
        await vendor.GetByLabel("Release date").FillAsync("2026-11-02");
        await vendor.GetByLabel("Link to the firmware or release note").FillAsync("https://xiaomi.example/releases/6.0.10");
        await vendor.GetByRole(AriaRole.Button, new() { Name = "Submit claim" }).ClickAsync();
        (await vendor.Locator("[role=status].notice").TextContentAsync())!.ShouldContain("Claim submitted");
        var claimId = await Db(db => db.RemediationClaims.Where(c => c.CaseId == caseId).Select(c => c.Id).SingleAsync());
        var vendorClaim = vendor.Locator($"#claim-{claimId}");
        await vendorClaim.GetByLabel("File (PDF, capture, screenshot, JSON or text)").SetInputFilesAsync(new FilePayload
        {
            Name = "release-note-6.0.10.txt", MimeType = "text/plain",
            Buffer = Encoding.UTF8.GetBytes("MIUI 6.0.10 release note\nContacts are no longer uploaded to analytics servers.\n"),
        });
        await vendorClaim.GetByRole(AriaRole.Button, new() { Name = "Attach file" }).ClickAsync();
        (await vendor.Locator("[role=status].notice").TextContentAsync())!.ShouldContain("release-note-6.0.10.txt");
        (await vendor.Locator($"#claim-{claimId}").TextContentAsync())!.ShouldContain("release-note-6.0.10.txt");
        await Layout.ShouldFitAPhoneAsync(vendor);
        await Layout.ShouldStackOnAPhoneAsync(vendor.GetByLabel("Message", new() { Exact = true }), vendor.GetByRole(AriaRole.Button, new() { Name = "Send message" }));
        await vendor.GetByLabel("Message", new() { Exact = true }).FillAsync("The update reaches every phone by the end of the month.");
        await vendor.GetByRole(AriaRole.Button, new() { Name = "Send message" }).ClickAsync();
        (await vendor.Locator("main").TextContentAsync())!.ShouldContain("The update reaches every phone by the end of the month.");

        // An officer accepts the claim, records the lab's re-test on the circular (in an amendment) and links it.
        var officer = await Browser.NewPageAsync();
        await Browser.SignInAsync(officer, "officer@portal.example");
        await officer.GotoAsync($"/vendor-cases/{caseId}");
        var claim = officer.Locator($"#claim-{claimId}");
        (await claim.TextContentAsync())!.ShouldContain("release-note-6.0.10.txt");
        await claim.GetByLabel("Accept, pending verification by a lab re-test").CheckAsync();
        await claim.GetByRole(AriaRole.Button, new() { Name = "Save review" }).ClickAsync();
        (await officer.Locator("[role=status].notice").TextContentAsync())!.ShouldContain("Review saved");

        await officer.GotoAsync($"/circulars/{id}");
        await officer.GetByRole(AriaRole.Button, new() { Name = "Start an amendment" }).ClickAsync();
        await officer.GetByRole(AriaRole.Link, new() { Name = "Record lab evidence" }).ClickAsync();
        await officer.GetByLabel("Title", new() { Exact = true }).FillAsync("LAB/2026/140 re-test of Redmi Note on 6.0.10");
        await officer.GetByLabel("Lab", new() { Exact = true }).FillAsync("Lab One");
        await officer.GetByLabel("Test date").FillAsync("2026-11-20");
        await officer.GetByLabel("Device tested").FillAsync("Redmi Note");
        await officer.GetByLabel("Firmware tested (optional)").FillAsync("6.0.10");
        await officer.GetByRole(AriaRole.Button, new() { Name = "Record evidence" }).ClickAsync();
        await officer.GetByLabel("Add a file").SetInputFilesAsync(new FilePayload
        {
            Name = "retest-report.txt", MimeType = "text/plain", Buffer = Encoding.UTF8.GetBytes("Re-test on 6.0.10: no contacts left the phone.\n"),
        });
        await officer.GetByRole(AriaRole.Button, new() { Name = "Upload" }).ClickAsync();
        (await officer.Locator("[role=status].notice").TextContentAsync())!.ShouldContain("retest-report.txt");
        var evidenceId = await Db(db => db.Evidence.Where(e => e.CircularId == id && e.Title.StartsWith("LAB/2026/140")).Select(e => e.Id).SingleAsync());

        await officer.GotoAsync($"/vendor-cases/{caseId}");
        claim = officer.Locator($"#claim-{claimId}");
        await claim.GetByLabel("Lab re-test (evidence on the circular)").SelectOptionAsync(evidenceId.ToString());
        await claim.GetByRole(AriaRole.Button, new() { Name = "Record re-test" }).ClickAsync();
        (await officer.Locator("[role=status].notice").TextContentAsync())!.ShouldContain("Re-test recorded");
        (await officer.Locator($"#claim-{claimId}").TextContentAsync())!.ShouldContain("You recorded the re-test: a second officer verifies the fix.");
        (await officer.Locator($"#claim-{claimId}").GetByRole(AriaRole.Button, new() { Name = "Verify the fix" }).CountAsync()).ShouldBe(0);

        // A second officer, on a phone, verifies the fix.
        var second = await Browser.NewPageAsync(phone: true);
        await Browser.SignInAsync(second, await Browser.SecondOfficerAsync());
        await second.GotoAsync($"/vendor-cases/{caseId}");
        await second.Locator($"#claim-{claimId}").GetByRole(AriaRole.Button, new() { Name = "Verify the fix" }).ClickAsync();
        (await second.Locator("[role=status].notice").TextContentAsync())!.ShouldContain("Fix verified");
        (await second.Locator("#models-title + *").TextContentAsync())!.ShouldContain("Fix verified");
        (await Db(db => db.RemediationClaims.Where(c => c.Id == claimId).Select(c => c.RetestEvidenceId).SingleAsync())).ShouldBe(evidenceId);

        // The circular is stale; the officer turns the verified fix into the amendment they had started.
        await officer.GotoAsync("/");
        await officer.GetByRole(AriaRole.Link, new() { NameRegex = new Regex(@"^\d+ circulars? ha(s|ve) vendor news not yet considered$") }).ClickAsync();
        await officer.GetByRole(AriaRole.Link, new() { Name = Title }).ClickAsync();
        officer.Url.ShouldEndWith($"/circulars/{id}");
        var banner = (await officer.Locator(".stale-banner").TextContentAsync())!;
        banner.ShouldContain("Fix verified");
        banner.ShouldContain("6.0.10");
        await officer.GetByRole(AriaRole.Button, new() { Name = "Draft an amendment: ban only firmware below 6.0.10" }).ClickAsync();
        (await officer.Locator("[role=status].notice").TextContentAsync())!.ShouldStartWith("Amendment drafted");
        (await officer.GetByLabel("Change summary").InputValueAsync()).ShouldContain("Xiaomi released firmware 6.0.10 for Redmi Note");
        await officer.GetByRole(AriaRole.Button, new() { Name = "Submit amendment for approval" }).ClickAsync();
        (await officer.Locator("[role=status].notice").TextContentAsync()).ShouldBe("Submitted for approval.");

        var approver = await Browser.NewPageAsync(phone: true);
        await Browser.SignInAsync(approver, "approver@portal.example");
        await approver.GotoAsync($"/circulars/{id}");
        await approver.GetByRole(AriaRole.Button, new() { Name = "Approve and publish" }).ClickAsync();
        (await approver.Locator("[role=status].notice").TextContentAsync()).ShouldBe("Approved and published.");
        (await approver.Locator(".stale-banner").CountAsync()).ShouldBe(0);

        await officer.GotoAsync($"/circulars/{id}");
        (await officer.Locator(".stale-banner").CountAsync()).ShouldBe(0, "the amendment considered every event");
        (await officer.Locator("#rules-title + *").TextContentAsync())!.ShouldContain("6.0.10");
        await officer.GotoAsync($"/circulars/{id}/revisions/2");
        (await officer.Locator("main").TextContentAsync())!.ShouldContain("LAB/2026/140 re-test of Redmi Note on 6.0.10");
        await officer.GotoAsync("/circulars/stale");
        (await officer.GetByRole(AriaRole.Link, new() { Name = Title }).CountAsync()).ShouldBe(0);
    }
}
