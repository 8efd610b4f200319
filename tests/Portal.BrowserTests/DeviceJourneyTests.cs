using System.Text;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Features.Acknowledgements;
using Portal.Web.Features.Devices;
using Portal.Web.Infrastructure.Auth;

namespace Portal.BrowserTests;

/// <summary>
/// The device pages not walked elsewhere, in Chromium with axe at desktop and phone width: a family member checking a
/// phone on the link page, an approver's impact preview of a circular in review, and the import's mapping step.
/// </summary>
public sealed class DeviceJourneyTests(BrowserFixture browser) : BrowserTest(browser), IClassFixture<BrowserFixture>
{
    private static string Imei(string fourteen) => fourteen + Portal.Web.Domain.Imeis.CheckDigit(fourteen);

    [Fact]
    public async Task A_family_member_types_the_phones_IMEI_on_the_link_page_and_is_told_the_notice_bans_it()
    {
        var (circular, dependent) = await Browser.PublishedForFamiliesAsync("Journey phone check", tacs: ["35999901"]);
        var token = Browser.Factory.Services.GetRequiredService<FamilyLinks>().CreateToken(circular, 1, dependent);
        var phone = await Browser.NewPageAsync(phone: true);
        await phone.GotoAsync($"/family/{token}");

        var imei = phone.GetByLabel("Your phone's IMEI");
        await imei.FillAsync("3599990100");
        await phone.GetByRole(AriaRole.Button, new() { Name = "Check this phone" }).ClickAsync();
        (await phone.Locator("#imei-error").TextContentAsync())!.ShouldContain("15 digits");
        (await imei.InputValueAsync()).ShouldBe("3599990100", "what was typed is kept");

        await imei.FillAsync(Imei("35999901123456"));
        await phone.GetByRole(AriaRole.Button, new() { Name = "Check this phone" }).ClickAsync();
        (await phone.Locator(".family-check-answer[role=status]").TextContentAsync()).ShouldBe("This notice bans this phone. Please stop using it and read what the notice asks you to do.");
        (await phone.EvaluateAsync<int>("document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(390);

        await imei.FillAsync(Imei("35211111123456"));
        await phone.GetByRole(AriaRole.Button, new() { Name = "Check this phone" }).ClickAsync();
        (await phone.Locator(".family-check-answer[role=status]").TextContentAsync())!.ShouldContain("cannot tell");
    }

    [Fact]
    public async Task An_approver_previews_the_impact_of_a_circular_in_review()
    {
        var circular = await InReviewBanningAsync();
        var approver = await Browser.NewPageAsync();
        await Browser.SignInAsync(approver, "approver@portal.example");

        var response = await approver.GotoAsync($"/circulars/{circular}/impact");

        response!.Status.ShouldBe(200);
        (await approver.Locator(".impact-total").TextContentAsync())!.ShouldContain("1 registered devices would be flagged, 0 of them family devices, in 1 units.");
        (await approver.Locator("table.impact-units tbody tr").CountAsync()).ShouldBe(1);
        (await approver.Locator("figure svg").CountAsync()).ShouldBe(1);
        await approver.GetByRole(AriaRole.Link, new() { Name = "Back to the circular" }).ClickAsync();
        approver.Url.ShouldEndWith($"/circulars/{circular}");
    }

    [Fact]
    public async Task An_officer_chooses_the_IMEI_column_the_portal_did_not_recognise_then_sees_the_preview()
    {
        var officer = await Browser.NewPageAsync();
        await Browser.SignInAsync(officer, "officer@portal.example");
        var csv = $"""
            Handset code,Manufacturer,Model,Primary user UPN
            {Imei("35000051000001")},Samsung,Galaxy A54,staff@portal.example
            """;
        await officer.GotoAsync("/devices/import");
        await officer.GetByLabel("MDM export (CSV)").SetInputFilesAsync(new FilePayload
            { Name = "handsets.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        await officer.GetByRole(AriaRole.Button, new() { Name = "Upload and preview" }).ClickAsync();
        (await officer.Locator("[role=alert]").TextContentAsync())!.ShouldContain("Choose the column for: IMEI.");

        await officer.GetByLabel("IMEI (required)").SelectOptionAsync("Handset code");
        await officer.GetByRole(AriaRole.Button, new() { Name = "Use these columns" }).ClickAsync();

        (await officer.Locator("[role=alert]").CountAsync()).ShouldBe(0);
        (await officer.Locator("table.summary").TextContentAsync())!.ShouldContain("Would add");
        (await officer.GetByRole(AriaRole.Button, new() { Name = "Import 1 devices" }).CountAsync()).ShouldBe(1);
    }

    /// <summary>A submitted circular banning a model by TAC, and a staff phone of that TAC registered through the page's command.</summary>
    private async Task<Guid> InReviewBanningAsync()
    {
        await using var scope = Browser.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var officer = await db.Users.SingleAsync(u => u.Email == "officer@portal.example");
        var staff = await db.Users.SingleAsync(u => u.Email == "staff@portal.example");
        var now = Browser.Factory.Clock.GetUtcNow();
        var maker = Manufacturer.Create("Impact Phones " + Guid.NewGuid().ToString("N")[^6..], [], null, now);
        var model = DeviceModel.Create(maker.Id, "Impact One", ["I1"], ["35999902"], now);
        db.AddRange(maker, model);
        var circular = Circular.Draft(new CircularText("Impact One sends SMS abroad", Severity.High, TlpLabel.Green,
            "Summary.", "", "Risk.", "", "Staff must hand in the phone.", "", DateOnly.FromDateTime(now.UtcDateTime.AddDays(10)),
            IncludeFamilies: false, FamilySummary: ""), officer.Id, now);
        circular.AddRule(maker.Id, model.Id, null, [], null, RuleAction.Banned, null, officer.Id, now);
        circular.AddAudienceUnit(await db.Units.Where(u => u.Code == "AC").Select(u => u.Id).SingleAsync(), officer.Id, now);
        circular.Submit(officer.Id, now);
        db.Circulars.Add(circular);
        await db.SaveChangesAsync();
        scope.ServiceProvider.GetRequiredService<CurrentUser>().Assume(CurrentUser.For(staff.Id, Roles.Staff));
        await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new Register.Command
            { Imei = Imei("35999902000001"), Manufacturer = maker.Name, Model = "Impact One" });
        return circular.Id;
    }
}
