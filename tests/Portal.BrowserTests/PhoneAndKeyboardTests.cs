using Microsoft.Playwright;

namespace Portal.BrowserTests;

/// <summary>Families and staff read on phones; officers and others may use only a keyboard.</summary>
public sealed class PhoneAndKeyboardTests(BrowserFixture browser) : BrowserTest(browser), IClassFixture<BrowserFixture>
{
    [Theory]
    [InlineData("staff@portal.example", "/circulars")]
    [InlineData("officer@portal.example", "/circulars/new")]
    [InlineData("admin@portal.example", "/admin/users")]
    [InlineData("admin@portal.example", "/admin/units")]
    [InlineData("officer@portal.example", "/catalogue")]
    [InlineData("admin@portal.example", "/admin/api-clients")]
    public async Task Pages_fit_a_phone_screen_without_sideways_scrolling(string email, string url)
    {
        var page = await Browser.NewPageAsync(phone: true, javaScript: true);
        await Browser.SignInAsync(page, email);
        await page.GotoAsync(url);

        await Screenshot(page, $"phone-{url.Trim('/').Replace('/', '-')}");
        var pageWidth = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        pageWidth.ShouldBeLessThanOrEqualTo(390, $"{url} is wider than the phone");
    }

    [Fact]
    public async Task The_accessibility_check_finds_what_axe_refuses_at_both_widths()
    {
        // Its own checker, so the page's refusals do not fail this test's own check when it ends.
        var accessibility = new Accessibility();
        var context = await Browser.Browser.NewContextAsync(new() { BaseURL = Browser.BaseUrl, JavaScriptEnabled = false });
        var page = await context.NewPageAsync();
        accessibility.Watch(page);
        await page.RouteAsync("**/axe-probe", route => route.FulfillAsync(new()
        {
            Status = 200, ContentType = "text/html; charset=utf-8",
            Body = "<!DOCTYPE html><html><head><title>Probe</title></head><body><main><img src=\"/favicon.ico\"><a href=\"/\"></a></main></body></html>",
        }));
        await page.GotoAsync("/axe-probe");
        // One more round trip to the browser, so the load event has reached the watcher before the check collects its snapshots.
        await page.ContentAsync();

        var problems = await accessibility.CheckAsync(Browser.Browser);
        await context.CloseAsync();
        var found = string.Join("\n", problems);

        foreach (var width in new[] { "desktop", "phone" })
        {
            problems.ShouldContain(p => p.Contains($"({width}): html-has-lang [serious]", StringComparison.Ordinal), found);
            problems.ShouldContain(p => p.Contains($"({width}): image-alt [critical]", StringComparison.Ordinal) && p.Contains("<img src=\"/favicon.ico\">", StringComparison.Ordinal), found);
            problems.ShouldContain(p => p.Contains($"({width}): link-name [serious]", StringComparison.Ordinal), found);
        }
    }

    [Fact]
    public async Task Sign_in_works_with_the_keyboard_alone()
    {
        var page = await Browser.NewPageAsync(javaScript: true);
        await page.GotoAsync("/account/sign-in");

        await page.Keyboard.PressAsync("Tab");
        (await page.EvaluateAsync<string>("document.activeElement.textContent")).ShouldBe("Skip to content");
        await page.Keyboard.PressAsync("Tab");
        (await page.EvaluateAsync<string>("document.activeElement.textContent")).ShouldBe("Advisory Portal");
        await page.Keyboard.PressAsync("Tab");
        (await page.EvaluateAsync<string>("document.activeElement.textContent")).ShouldBe("हिन्दी");
        await page.Keyboard.PressAsync("Tab");
        (await page.EvaluateAsync<string>("document.activeElement.id")).ShouldBe("Email");
        await page.Keyboard.TypeAsync("staff@portal.example");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync(Portal.Web.Data.DemoData.Password);
        (await page.InputValueAsync("#Email")).ShouldBe("staff@portal.example");
        (await page.InputValueAsync("#Password")).Length.ShouldBe(Portal.Web.Data.DemoData.Password.Length);
        // The wait starts before Enter: started after it, it read the old address while the navigation's event was
        // already past, and waited 30 s on the home page it had reached (seen under a full machine).
        var leaving = page.WaitForURLAsync(u => !u.Contains("/account/sign-in", StringComparison.Ordinal));
        await page.Keyboard.PressAsync("Enter");

        try
        {
            await leaving;
        }
        catch (TimeoutException)
        {
            throw new ShouldAssertException($"Enter did not leave the sign-in page: still at {page.Url}, showing: {await page.Locator("main").InnerTextAsync(new() { Timeout = 5000 })}");
        }
        (await page.Locator(".who").TextContentAsync()).ShouldBe("Sgt Pat Staff");
        await Screenshot(page, "home-staff");
    }

    [Fact]
    public async Task Every_form_field_has_a_label()
    {
        var page = await Browser.NewPageAsync(javaScript: true);
        await Browser.SignInAsync(page, "admin@portal.example");
        foreach (var url in new[] { "/admin/users/new", "/admin/units/new", "/admin/vendors/new", "/admin/api-clients/new", "/circulars", "/catalogue/manufacturers/new", "/catalogue/models/new" })
        {
            await page.GotoAsync(url);
            var unlabelled = await page.EvaluateAsync<string[]>("""
                [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
                  .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))
                  .map(e => e.name)
                """);
            unlabelled.ShouldBeEmpty(url);
        }
    }

    private static async Task Screenshot(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("PORTAL_SCREENSHOTS") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            await page.ScreenshotAsync(new() { Path = Path.Combine(folder, name + ".png"), FullPage = true });
        }
    }
}
