using Microsoft.Playwright;

namespace Portal.BrowserTests;

/// <summary>A staff member reads in Hindi: switches language, acknowledges, and sees where their family stands.</summary>
public sealed class HindiJourneyTests(BrowserFixture browser) : BrowserTest(browser), IClassFixture<BrowserFixture>
{
    private static async Task ScreenshotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("PORTAL_SCREENSHOTS") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            await page.ScreenshotAsync(new() { Path = Path.Combine(folder, name + ".png"), FullPage = true });
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Staff_switch_to_Hindi_acknowledge_and_see_their_familys_status(bool phone)
    {
        var title = phone ? "Hindi journey on a phone" : "Hindi journey on a desktop";
        var (circular, _) = await Browser.PublishedForFamiliesAsync(title);
        var staff = await Browser.NewPageAsync(phone);
        await Browser.SignInAsync(staff, "staff@portal.example");
        var width = phone ? "phone" : "desktop";
        await ScreenshotAsync(staff, $"home-en-{width}");

        await staff.GetByRole(AriaRole.Button, new() { Name = "हिन्दी" }).ClickAsync();

        (await staff.GetAttributeAsync("html", "lang")).ShouldBe("hi");
        (await staff.Locator("h1").TextContentAsync())!.ShouldStartWith("स्वागत है");
        var toAcknowledge = staff.Locator("section", new() { Has = staff.GetByRole(AriaRole.Heading, new() { Name = "पुष्टि के लिए परिपत्र" }) });
        await ScreenshotAsync(staff, $"home-hi-{width}");
        await toAcknowledge.GetByRole(AriaRole.Link, new() { Name = title }).ClickAsync();
        staff.Url.ShouldEndWith($"/circulars/{circular}");
        await ScreenshotAsync(staff, $"circular-hi-{width}");

        await staff.GetByRole(AriaRole.Button, new() { Name = "मैंने संशोधन 1 पढ़ लिया है और पालन करूँगा/करूँगी" }).ClickAsync();
        (await staff.Locator("[role=status].notice").TextContentAsync()).ShouldBe("धन्यवाद: आपकी पुष्टि दर्ज हो गई है।");
        (await staff.Locator(".ack-box").TextContentAsync())!.ShouldContain("आपने");

        await staff.GetByRole(AriaRole.Link, new() { Name = "परामर्श पोर्टल" }).ClickAsync();
        var family = staff.Locator("section", new() { Has = staff.GetByRole(AriaRole.Heading, new() { Name = "आपका परिवार" }) });
        (await family.Locator("li").CountAsync()).ShouldBe(2);
        (await family.TextContentAsync())!.ShouldContain("सूचनाओं की अभी पुष्टि नहीं हुई");
        (await toAcknowledge.GetByRole(AriaRole.Link, new() { Name = title }).CountAsync()).ShouldBe(0);
        (await staff.EvaluateAsync<int>("document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(phone ? 390 : 1280);
        await ScreenshotAsync(staff, $"home-hi-after-{width}");

        // A refused form hands the focus to its error summary, without any script, and says why in Hindi.
        await staff.GotoAsync("/family-members");
        await staff.GetByRole(AriaRole.Button, new() { Name = "सदस्य जोड़ें" }).ClickAsync();
        (await staff.Locator(".error-summary:focus").CountAsync()).ShouldBe(1);
        (await staff.Locator(".error-summary li").AllTextContentsAsync()).ShouldBe(
            ["परिवार के सदस्य का नाम लिखें।", "संबंध चुनें।", "ई-मेल पता या मोबाइल नंबर (या दोनों) दें, ताकि सूचना उन तक पहुँच सके।"]);
        await ScreenshotAsync(staff, $"family-refused-{width}");

        await staff.GetByRole(AriaRole.Button, new() { Name = "English" }).ClickAsync();
        (await staff.GetAttributeAsync("html", "lang")).ShouldBe("en");
    }
}
