using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Features.Circulars;
using Portal.Web.Infrastructure.Auth;
using Mediator;

namespace Portal.BrowserTests;

/// <summary>
/// The story of issue 9: the vendor claims an over-the-air fix, an officer records the lab's re-test, a second officer
/// verifies it, the circular is shown stale, an officer amends it from the verified fix and the banner goes. The vendor's
/// and the review's steps are arranged through the domain (their pages belong to the vendor-side work); the officers'
/// part runs in the browser, checked with axe at desktop and phone width.
/// </summary>
public sealed class StaleCircularJourneyTests(BrowserFixture browser) : BrowserTest(browser), IClassFixture<BrowserFixture>
{
    private async Task<Guid> PublishedWithVerifiedFixAsync(string title)
    {
        await using var scope = Browser.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
        var officer = await db.Users.SingleAsync(u => u.Email == "officer@portal.example");
        var approver = await db.Users.SingleAsync(u => u.Email == "approver@portal.example");
        var vendor = await db.Users.SingleAsync(u => u.Email == "vendor@xiaomi.example");
        var model = await db.DeviceModels.SingleAsync(m => m.MarketingName == "Redmi Note" && db.Manufacturers.Any(x => x.Id == m.ManufacturerId && x.Name == "Xiaomi"));
        var now = Browser.Factory.Clock.GetUtcNow();
        var circular = Circular.Draft(new CircularText(title, Severity.High, TlpLabel.Green,
            "Do not use the Redmi Note.", "", "Contacts leave the country.", "", "Hand the phone in.", "", DateOnly.FromDateTime(now.UtcDateTime.AddDays(10))),
            officer.Id, now);
        circular.AddRule(model.ManufacturerId, model.Id, null, [], null, RuleAction.Banned, null, officer.Id, now);
        circular.AddAudienceUnit(await db.Units.Where(u => u.Code == "AC").Select(u => u.Id).SingleAsync(), officer.Id, now);
        circular.Submit(officer.Id, now);
        db.Circulars.Add(circular);
        await db.SaveChangesAsync();
        var version = await db.Circulars.Where(c => c.Id == circular.Id).Select(c => c.Version).SingleAsync();
        scope.ServiceProvider.GetRequiredService<CurrentUser>().Assume(CurrentUser.For(approver.Id, Roles.Approver));
        await mediator.Send(new Approve.Command { Id = circular.Id, Version = version });

        db.ChangeTracker.Clear();
        var vendorCase = await db.VendorCases.Include(c => c.Models).SingleAsync(c => c.CircularId == circular.Id);
        var claim = RemediationClaim.Submit(vendorCase.Id, model.Id, RemediationKind.FirmwareUpdate, "Over-the-air update 6.0.10 stops the upload; release note attached.",
            "6.0.10", new DateOnly(2026, 11, 2), "https://xiaomi.example/releases/6.0.10", null, null, null, null, vendor.Id, now);
        db.RemediationClaims.Add(claim);
        db.CaseEvents.Add(CaseEvent.Record(vendorCase, CaseEventKind.ClaimSubmitted, claim.Id, vendor.Id, now, "Firmware 6.0.10 claimed for Redmi Note"));
        claim.Review(ClaimStatus.PendingVerification, null, officer.Id, now);
        var retest = EvidenceRecord.Record(circular.Id, "Re-test of Redmi Note on 6.0.10", "Lab One", DateOnly.FromDateTime(now.UtcDateTime), "Redmi Note", "6.0.10", "Traffic capture", officer.Id, now);
        db.Evidence.Add(retest);
        await db.SaveChangesAsync();
        claim.RecordRetest(retest.Id, officer.Id);
        db.CaseEvents.Add(CaseEvent.Record(vendorCase, CaseEventKind.RetestRecorded, claim.Id, officer.Id, now, "Lab re-test recorded for Redmi Note 6.0.10"));
        claim.Verify(approver.Id, now);
        vendorCase.MarkFixVerified(model.Id, now);
        db.CaseEvents.Add(CaseEvent.Record(vendorCase, CaseEventKind.FixVerified, claim.Id, approver.Id, now, "Fix verified for Redmi Note: firmware 6.0.10"));
        await db.SaveChangesAsync();
        return circular.Id;
    }

    [Fact]
    public async Task A_verified_fix_shows_the_circular_stale_and_the_amendment_it_offers_clears_the_banner()
    {
        var id = await PublishedWithVerifiedFixAsync("Redmi Note uploads contacts (story)");

        var officer = await Browser.NewPageAsync();
        await Browser.SignInAsync(officer, "officer@portal.example");
        await officer.GotoAsync("/");
        await officer.GetByRole(AriaRole.Link, new() { NameRegex = new System.Text.RegularExpressions.Regex(@"^\d+ circulars? ha(s|ve) vendor news not yet considered$") }).ClickAsync();
        await officer.GetByRole(AriaRole.Link, new() { Name = "Redmi Note uploads contacts (story)" }).ClickAsync();
        officer.Url.ShouldEndWith($"/circulars/{id}");
        var banner = officer.Locator(".stale-banner");
        (await banner.TextContentAsync())!.ShouldContain("Fix verified for Redmi Note: firmware 6.0.10");

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
        await officer.GotoAsync("/circulars/stale");
        (await officer.GetByRole(AriaRole.Link, new() { Name = "Redmi Note uploads contacts (story)" }).CountAsync()).ShouldBe(0);
    }
}
