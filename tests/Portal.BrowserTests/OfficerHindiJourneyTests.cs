using Microsoft.Playwright;

namespace Portal.BrowserTests;

/// <summary>
/// A security officer works in Hindi: a refused rule form comes back in Hindi with the focus on its summary, the
/// catalogue and the acknowledgement dashboard (its charts too) read in Hindi, and nothing is wider than a phone.
/// </summary>
public sealed class OfficerHindiJourneyTests(BrowserFixture browser) : BrowserTest(browser), IClassFixture<BrowserFixture>
{
    private static async Task ScreenshotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("PORTAL_SCREENSHOTS") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            await page.ScreenshotAsync(new() { Path = Path.Combine(folder, name + ".png"), FullPage = true });
        }
    }

    private static async Task FitsAsync(IPage page, bool phone) =>
        (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(phone ? 390 : 1280, page.Url);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_officer_works_in_Hindi_and_is_refused_in_Hindi(bool phone)
    {
        var width = phone ? "phone" : "desktop";
        var (published, _) = await Browser.PublishedForFamiliesAsync($"Officer in Hindi on a {width}");
        var draft = await Browser.DraftAsync($"Officer's Hindi draft on a {width}");
        var officer = await Browser.NewPageAsync(phone);
        await Browser.SignInAsync(officer, "officer@portal.example");
        if (await officer.GetAttributeAsync("html", "lang") != "hi")
            await officer.GetByRole(AriaRole.Button, new() { Name = "हिन्दी" }).ClickAsync();
        (await officer.GetAttributeAsync("html", "lang")).ShouldBe("hi");

        await officer.GotoAsync($"/circulars/{draft}/rules");
        (await officer.Locator("#add-rule-title").TextContentAsync()).ShouldBe("एक नियम जोड़ें");
        await officer.GetByRole(AriaRole.Button, new() { Name = "नियम जोड़ें" }).ClickAsync();
        (await officer.Locator(".error-summary:focus").CountAsync()).ShouldBe(1);
        var errors = await officer.Locator(".error-summary li").AllTextContentsAsync();
        errors[0].ShouldBe("निर्माता चुनें।");
        errors.ShouldAllBe(e => e.Any(c => c >= '\u0900' && c <= '\u097F'));
        errors.Count.ShouldBe(errors.Distinct().Count());
        await FitsAsync(officer, phone);
        await ScreenshotAsync(officer, $"rules-refused-hi-{width}");

        await officer.GotoAsync("/catalogue");
        (await officer.Locator("h1").TextContentAsync()).ShouldBe("उत्पाद सूची");
        await FitsAsync(officer, phone);
        await ScreenshotAsync(officer, $"catalogue-hi-{width}");

        await officer.GotoAsync($"/circulars/{published}/acknowledgements");
        (await officer.Locator("#delivery-title").TextContentAsync()).ShouldBe("सूचनाओं की डिलीवरी");
        (await officer.Locator("svg.progress").GetAttributeAsync("aria-label"))!.ShouldContain("में से");
        await FitsAsync(officer, phone);
        await ScreenshotAsync(officer, $"dashboard-hi-{width}");

        await officer.GotoAsync($"/circulars/{published}");
        (await officer.Locator("td .badge").First.TextContentAsync()).ShouldBe("प्रतिबंधित");
        await ScreenshotAsync(officer, $"circular-officer-hi-{width}");

        await officer.GetByRole(AriaRole.Button, new() { Name = "English" }).ClickAsync();
        (await officer.GetAttributeAsync("html", "lang")).ShouldBe("en");
    }
}
