using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Tests.Support;

namespace Portal.BrowserTests;

/// <summary>The real app on a real port, and Debian's Chromium (its headless shell) driven by Playwright.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private string _database = "";
    private IPlaywright? _playwright;

    public PortalFactory Factory { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    public string BaseUrl { get; private set; } = "";
    public Accessibility Accessibility { get; } = new();

    public async Task InitializeAsync()
    {
        _database = await TestDatabases.CreateAsync();
        Factory = new PortalFactory(TestDatabases.For(_database));
        Factory.UseKestrel(0);
        Factory.StartServer();
        BaseUrl = Factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal);

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Environment.GetEnvironmentVariable("PORTAL_CHROMIUM") ?? "/usr/bin/chromium-headless-shell",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright?.Dispose();
        await Factory.DisposeAsync();
        await TestDatabases.DropAsync(_database);
    }

    /// <summary>A fresh browser profile; JavaScript off by default, because every page must work without it.</summary>
    public async Task<IPage> NewPageAsync(bool phone = false, bool javaScript = false)
    {
        var context = await Browser.NewContextAsync(new()
        {
            BaseURL = BaseUrl,
            JavaScriptEnabled = javaScript,
            ViewportSize = phone ? new ViewportSize { Width = 390, Height = 844 } : new ViewportSize { Width = 1280, Height = 900 },
            IsMobile = phone,
        });
        var page = await context.NewPageAsync();
        Accessibility.Watch(page);
        return page;
    }

    public async Task SignInAsync(IPage page, string email)
    {
        await page.GotoAsync("/account/sign-in");
        await page.GetByLabel("E-mail address").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(Portal.Web.Data.DemoData.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        if (page.Url.Contains("/account/two-factor", StringComparison.Ordinal))
        {
            await Factory.Clock.WithAuthenticatorCodeAsync(email, Portal.Web.Data.DemoData.AuthenticatorKey, async code =>
            {
                await page.GetByLabel("Code", new() { Exact = true }).FillAsync(code);
                await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
                return true;
            });
        }
    }
}
