using Microsoft.Playwright;

namespace Portal.BrowserTests;

public sealed class CircularLifecycleJourneyTests(BrowserFixture browser) : BrowserTest(browser), IClassFixture<BrowserFixture>
{
    private static async Task SelectOptionContainingAsync(IPage page, string selectId, string text)
    {
        var value = await page.Locator($"#{selectId} option", new() { HasText = text }).First.GetAttributeAsync("value");
        await page.Locator($"#{selectId}").SelectOptionAsync(value!);
    }

    [Fact]
    public async Task Officer_drafts_and_submits_approver_approves_and_staff_read_and_print_the_circular()
    {
        const string title = "Redmi Note 4G sends SMS to servers abroad";
        var officer = await Browser.NewPageAsync();
        await Browser.SignInAsync(officer, "officer@portal.example");
        await officer.GetByRole(AriaRole.Link, new() { Name = "New draft" }).First.ClickAsync();
        await officer.GetByLabel("Title").FillAsync(title);
        await officer.GetByLabel("Severity").SelectOptionAsync("High");
        await officer.GetByLabel("TLP label").SelectOptionAsync("Green");
        await officer.GetByLabel("Acknowledgement deadline").FillAsync(Browser.Factory.Clock.GetUtcNow().UtcDateTime.AddDays(10).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await officer.GetByLabel("Summary", new() { Exact = true }).FillAsync("Do not use the **Redmi Note 4G** for official business.");
        await officer.GetByLabel("Risk assessment (optional)").FillAsync("SMS and contacts leave the country.");
        await officer.GetByLabel("Required actions").FillAsync("Hand the phone to your unit security officer.");
        await officer.GetByRole(AriaRole.Button, new() { Name = "Save draft" }).ClickAsync();
        var circularUrl = officer.Url;

        // Submitting too early names what is missing.
        await officer.GetByRole(AriaRole.Button, new() { Name = "Submit for approval" }).ClickAsync();
        (await officer.Locator(".error-summary").TextContentAsync())!.ShouldContain("at least one rule");
        await officer.GotoAsync(circularUrl);

        await officer.GetByRole(AriaRole.Link, new() { Name = "Rules" }).ClickAsync();
        await SelectOptionContainingAsync(officer, "ManufacturerId", "Xiaomi");
        await SelectOptionContainingAsync(officer, "DeviceModelId", "Redmi Note 4G");
        await officer.GetByLabel("Banned", new() { Exact = false }).First.CheckAsync();
        await officer.GetByRole(AriaRole.Button, new() { Name = "Add rule" }).ClickAsync();
        (await officer.Locator("table").First.TextContentAsync())!.ShouldContain("Redmi Note 4G");
        await officer.GotoAsync(circularUrl);
        await officer.GetByRole(AriaRole.Link, new() { Name = "Audience" }).ClickAsync();
        await SelectOptionContainingAsync(officer, "UnitId", "Air Command");
        await officer.GetByRole(AriaRole.Button, new() { Name = "Add unit" }).ClickAsync();
        await officer.GotoAsync(circularUrl);
        await officer.GetByRole(AriaRole.Button, new() { Name = "Submit for approval" }).ClickAsync();
        (await officer.Locator("[role=status].notice").TextContentAsync()).ShouldBe("Submitted for approval.");
        (await officer.GetByRole(AriaRole.Button, new() { Name = "Approve and publish" }).CountAsync()).ShouldBe(0, "officers cannot approve");

        var approver = await Browser.NewPageAsync();
        await Browser.SignInAsync(approver, "approver@portal.example");
        await approver.GotoAsync(circularUrl);
        await approver.GetByRole(AriaRole.Button, new() { Name = "Approve and publish" }).ClickAsync();
        (await approver.Locator("[role=status].notice").TextContentAsync()).ShouldBe("Approved and published.");
        var reference = (await approver.Locator(".meta dd").First.TextContentAsync())!.Trim();
        reference.ShouldMatch(@"^SEC/ADV/\d{4}/\d{3}$");

        var staff = await Browser.NewPageAsync(phone: true);
        await Browser.SignInAsync(staff, "staff@portal.example");
        await staff.GotoAsync("/circulars");
        await staff.GetByRole(AriaRole.Link, new() { Name = title }).ClickAsync();
        (await staff.Locator("h1").TextContentAsync()).ShouldBe(title);
        (await staff.Locator("main").TextContentAsync())!.ShouldContain("Hand the phone to your unit security officer.");
        (await staff.EvaluateAsync<int>("document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(390);
        await staff.GetByRole(AriaRole.Button, new() { Name = "I have read revision 1 and will comply" }).ClickAsync();
        (await staff.Locator(".ack-box").TextContentAsync())!.ShouldContain("You acknowledged revision 1");

        await staff.GetByRole(AriaRole.Link, new() { Name = "Print view" }).ClickAsync();
        var print = (await staff.Locator("body").TextContentAsync())!;
        print.ShouldContain(reference);
        print.ShouldContain("TLP:GREEN");
        print.ShouldContain("Revision 1", Case.Insensitive);
        (await staff.Locator("nav[aria-label=Main]").CountAsync()).ShouldBe(0, "the print view has no navigation");
    }
}
