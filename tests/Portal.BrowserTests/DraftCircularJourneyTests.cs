using Microsoft.Playwright;

namespace Portal.BrowserTests;

public sealed class DraftCircularJourneyTests(BrowserFixture browser) : BrowserTest(browser), IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Officer_drafts_a_circular_fixes_a_mistake_and_finds_it_in_the_list_and_staff_cannot_open_it()
    {
        var officer = await Browser.NewPageAsync();
        await Browser.SignInAsync(officer, "officer@portal.example");
        (await officer.Locator(".who").TextContentAsync()).ShouldBe("Sam Officer");

        await officer.GetByRole(AriaRole.Link, new() { Name = "New draft" }).First.ClickAsync();
        await officer.GetByLabel("Title").FillAsync("Redmi 1S forwards contacts and SMS abroad");
        await officer.GetByLabel("Severity").SelectOptionAsync("Critical");
        await officer.GetByLabel("TLP label").SelectOptionAsync("Clear");
        await officer.GetByLabel("Acknowledgement deadline").FillAsync(Browser.Factory.Clock.GetUtcNow().UtcDateTime.AddDays(10).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await officer.GetByLabel("Background (optional)").FillAsync("A lab test found the phone sending the IMEI and contacts to servers abroad.");
        await officer.GetByLabel("Required actions").FillAsync("Stop using the phone; report it to your unit security officer.");
        await officer.GetByRole(AriaRole.Button, new() { Name = "Save draft" }).ClickAsync();

        // The summary was forgotten: the form comes back with the message and everything typed.
        var summary = officer.Locator(".error-summary");
        (await summary.TextContentAsync())!.ShouldContain("Write a summary");
        (await officer.GetByLabel("Title").InputValueAsync()).ShouldBe("Redmi 1S forwards contacts and SMS abroad");
        (await officer.GetByLabel("Background (optional)").InputValueAsync()).ShouldStartWith("A lab test found");
        (await officer.GetByLabel("Severity").InputValueAsync()).ShouldBe("Critical");

        await summary.GetByRole(AriaRole.Link).First.ClickAsync();
        await officer.GetByLabel("Summary", new() { Exact = true }).FillAsync("Do not use the **Redmi 1S**.");
        await officer.GetByRole(AriaRole.Button, new() { Name = "Save draft" }).ClickAsync();

        (await officer.Locator("[role=status].notice").TextContentAsync()).ShouldBe("Draft saved.");
        (await officer.Locator("h1").TextContentAsync()).ShouldBe("Redmi 1S forwards contacts and SMS abroad");
        var draftUrl = officer.Url;

        await officer.GetByRole(AriaRole.Link, new() { Name = "Circulars", Exact = true }).ClickAsync();
        await officer.GetByLabel("Status").SelectOptionAsync("Draft");
        await officer.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await officer.GetByRole(AriaRole.Link, new() { Name = "Redmi 1S forwards contacts and SMS abroad" }).ClickAsync();
        officer.Url.ShouldBe(draftUrl);

        var staff = await Browser.NewPageAsync(phone: true);
        await Browser.SignInAsync(staff, "staff@portal.example");
        var response = await staff.GotoAsync(draftUrl);
        response!.Status.ShouldBe(404);
        (await staff.Locator("h1").TextContentAsync()).ShouldBe("Not found");
        await staff.GotoAsync("/circulars");
        (await staff.GetByRole(AriaRole.Link, new() { Name = "Redmi 1S forwards contacts and SMS abroad" }).CountAsync()).ShouldBe(0);
    }
}
