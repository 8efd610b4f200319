using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Duende.IdentityModel;
using Duende.IdentityModel.Client;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Features.ApiClients;
using Portal.Web.Infrastructure.Auth;

namespace Portal.BrowserTests;

/// <summary>
/// An application signs people in through the portal: authorization code with PKCE on a real Kestrel port,
/// Chromium filling in the portal's own sign-in (two-factor included), the test as the client swapping the code.
/// The client's address is another origin (localhost against 127.0.0.1), as a real application's would be.
/// </summary>
public sealed partial class AuthorizationCodeJourneyTests(BrowserFixture browser) : BrowserTest(browser), IClassFixture<BrowserFixture>
{
    private string CallbackUrl(string name) => Browser.BaseUrl.Replace("127.0.0.1", "localhost", StringComparison.Ordinal) + "/" + name;

    private async Task<(string ClientId, string Secret)> RegisterAsync(string name, ApiClientKind kind, string[] scopes, string redirect, Guid? vendor = null)
    {
        await using var scope = Browser.Factory.Services.CreateAsyncScope();
        var (client, secret) = await scope.ServiceProvider.GetRequiredService<ApiClientRegistry>()
            .RegisterAsync(name, kind, scopes, vendor, [redirect], null, null, CancellationToken.None);
        return (client.ClientId, secret);
    }

    /// <summary>
    /// Runs the steps and returns the address the portal finally sends the browser to: the client's callback
    /// (seen as the browser requests it; Playwright does not route requests that follow a redirect).
    /// </summary>
    private static async Task<Uri> CallbackAsync(IPage page, string redirect, Func<Task> steps)
    {
        var landed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Seen(object? sender, IRequest request)
        {
            if (request.Url.StartsWith(redirect, StringComparison.Ordinal))
                landed.TrySetResult(request.Url);
        }
        page.Request += Seen;
        try
        {
            await steps();
            var done = await Task.WhenAny(landed.Task, Task.Delay(TimeSpan.FromSeconds(15)));
            if (done != landed.Task)
                throw new InvalidOperationException($"The browser stopped at {page.Url}: {await page.Locator("body").InnerTextAsync()}");
            return new Uri(await landed.Task);
        }
        finally
        {
            page.Request -= Seen;
        }
    }

    private static string Challenge(string verifier) =>
        WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    private string AuthorizeUrl(string clientId, string redirect, string scope, string verifier, string state) =>
        new RequestUrl($"{Browser.BaseUrl}/connect/authorize").CreateAuthorizeUrl(clientId, OidcConstants.ResponseTypes.Code, scope, redirect,
            state: state, codeChallenge: Challenge(verifier), codeChallengeMethod: OidcConstants.CodeChallengeMethods.Sha256);

    private async Task SignInOnThePortalAsync(IPage page, string email)
    {
        await page.GetByLabel("E-mail address").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(DemoData.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        if (page.Url.Contains("/account/two-factor", StringComparison.Ordinal))
        {
            await page.GetByLabel("Code", new() { Exact = true }).FillAsync(await Browser.Factory.Clock.AuthenticatorCodeAsync(email, DemoData.AuthenticatorKey));
            await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        }
    }

    private async Task<TokenResponse> SwapAsync(string clientId, string secret, string code, string redirect, string verifier)
    {
        using var http = new HttpClient();
        return await http.RequestAuthorizationCodeTokenAsync(new AuthorizationCodeTokenRequest
        {
            Address = $"{Browser.BaseUrl}/connect/token",
            ClientId = clientId,
            ClientSecret = secret,
            Code = code,
            RedirectUri = redirect,
            CodeVerifier = verifier,
        });
    }

    private static string Query(Uri uri, string name) => QueryHelpers.ParseQuery(uri.Query).TryGetValue(name, out var v) ? v.ToString() : "";

    [Fact]
    public async Task An_officer_signs_in_with_two_factor_and_the_internal_app_swaps_the_code_for_tokens()
    {
        var redirect = CallbackUrl("intranet/callback");
        var (clientId, secret) = await RegisterAsync("Intranet dashboard", ApiClientKind.InternalApp, [ApiScopes.CircularsRead], redirect);
        const string Scope = "openid profile offline_access circulars.read";
        var page = await Browser.NewPageAsync();

        // Not signed in: the portal's sign-in page, then two-factor, then straight back to the application (no consent for internal apps).
        var firstVerifier = CryptoRandom.CreateUniqueId(48);
        var first = await CallbackAsync(page, redirect, async () =>
        {
            await page.GotoAsync(AuthorizeUrl(clientId, redirect, Scope, firstVerifier, "state-1"));
            page.Url.ShouldContain("/account/sign-in");
            await SignInOnThePortalAsync(page, "officer@portal.example");
        });
        Query(first, "state").ShouldBe("state-1");
        var firstCode = Query(first, "code");
        firstCode.ShouldNotBeEmpty();

        var wrongVerifier = await SwapAsync(clientId, secret, firstCode, redirect, CryptoRandom.CreateUniqueId(48));
        wrongVerifier.Error.ShouldBe("invalid_grant");
        wrongVerifier.AccessToken.ShouldBeNull();
        var noVerifier = await SwapAsync(clientId, secret, firstCode, redirect, "");
        noVerifier.IsError.ShouldBeTrue();
        noVerifier.AccessToken.ShouldBeNull();

        // Already signed in: the portal answers at once with a new code.
        var verifier = CryptoRandom.CreateUniqueId(48);
        var second = await CallbackAsync(page, redirect, () => page.GotoAsync(AuthorizeUrl(clientId, redirect, Scope, verifier, "state-2")));
        var code = Query(second, "code");
        var tokens = await SwapAsync(clientId, secret, code, redirect, verifier);
        tokens.IsError.ShouldBeFalse(tokens.Raw);
        tokens.IdentityToken.ShouldNotBeNullOrEmpty();
        tokens.RefreshToken.ShouldNotBeNullOrEmpty();

        var circular = await Browser.Factory.Services.CreateAsyncScope().ServiceProvider.GetRequiredService<PortalDbContext>()
            .Circulars.Where(c => c.CurrentRevision!.Text.Title == DemoData.PublishedCircularTitle).Select(c => c.Id).SingleAsync();
        using var api = new HttpClient { BaseAddress = new Uri(Browser.BaseUrl) };
        api.SetBearerToken(tokens.AccessToken!);
        (await api.GetAsync($"/api/circulars/{circular}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        // The identity token is for the application, not for the API.
        api.SetBearerToken(tokens.IdentityToken!);
        (await api.GetAsync($"/api/circulars/{circular}")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        using var http = new HttpClient();
        var refreshed = await http.RequestRefreshTokenAsync(new RefreshTokenRequest
        {
            Address = $"{Browser.BaseUrl}/connect/token", ClientId = clientId, ClientSecret = secret, RefreshToken = tokens.RefreshToken!,
        });
        refreshed.IsError.ShouldBeFalse(refreshed.Raw);
        api.SetBearerToken(refreshed.AccessToken!);
        (await api.GetAsync($"/api/circulars/{circular}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // A code presented twice is refused, and what it had already bought is revoked with it (RFC 6749, 4.1.2).
        var replayed = await SwapAsync(clientId, secret, code, redirect, verifier);
        replayed.Error.ShouldBe("invalid_grant");
        replayed.AccessToken.ShouldBeNull();
        (await api.GetAsync($"/api/circulars/{circular}")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task An_address_the_client_did_not_register_gets_no_redirect()
    {
        var redirect = CallbackUrl("registered/callback");
        var (clientId, _) = await RegisterAsync("Registered only", ApiClientKind.InternalApp, [ApiScopes.CircularsRead], redirect);
        var page = await Browser.NewPageAsync();
        var response = await page.GotoAsync(AuthorizeUrl(clientId, "https://attacker.example/steal", "openid circulars.read", CryptoRandom.CreateUniqueId(48), "x"));
        response!.Status.ShouldBe(400);
        page.Url.ShouldStartWith(Browser.BaseUrl);
    }

    [Fact]
    public async Task A_vendors_application_asks_its_user_for_consent_and_acts_as_that_vendor()
    {
        await using var scope = Browser.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var xiaomi = await db.VendorOrganisations.Where(v => v.Name == "Xiaomi").Select(v => v.Id).SingleAsync();
        var redirect = CallbackUrl("xiaomi/callback");
        var (clientId, secret) = await RegisterAsync("Xiaomi partner desk", ApiClientKind.VendorSystem,
            [ApiScopes.CircularsRead, ApiScopes.VendorCases], redirect, xiaomi);
        const string Scope = "openid circulars.read";

        var page = await Browser.NewPageAsync();
        var denied = await CallbackAsync(page, redirect, async () =>
        {
            await page.GotoAsync(AuthorizeUrl(clientId, redirect, Scope, CryptoRandom.CreateUniqueId(48), "deny"));
            await SignInOnThePortalAsync(page, Scenarios.Vendor);
            await page.GetByRole(AriaRole.Heading, new() { Name = "Allow Xiaomi partner desk to act for you?" }).WaitForAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Do not allow" }).ClickAsync();
        });
        Query(denied, "error").ShouldBe("access_denied");
        Query(denied, "code").ShouldBeEmpty();

        var verifier = CryptoRandom.CreateUniqueId(48);
        var allowed = await CallbackAsync(page, redirect, async () =>
        {
            await page.GotoAsync(AuthorizeUrl(clientId, redirect, Scope, verifier, "allow"));
            (await page.Locator("main").InnerTextAsync()).ShouldContain("Read the circulars you may read");
            await page.GetByRole(AriaRole.Button, new() { Name = "Allow", Exact = true }).ClickAsync();
        });
        var tokens = await SwapAsync(clientId, secret, Query(allowed, "code"), redirect, verifier);
        tokens.IsError.ShouldBeFalse(tokens.Raw);

        var redmi = await db.Circulars.Where(c => c.CurrentRevision!.Text.Title == DemoData.PublishedCircularTitle).Select(c => c.Id).SingleAsync();
        using var api = new HttpClient { BaseAddress = new Uri(Browser.BaseUrl) };
        api.SetBearerToken(tokens.AccessToken!);
        (await api.GetAsync($"/api/circulars/{redmi}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Someone else's people cannot sign in to Xiaomi's application.
        var staffPage = await Browser.NewPageAsync();
        var refused = await CallbackAsync(staffPage, redirect, async () =>
        {
            await staffPage.GotoAsync(AuthorizeUrl(clientId, redirect, Scope, CryptoRandom.CreateUniqueId(48), "staff"));
            await SignInOnThePortalAsync(staffPage, Scenarios.Staff);
        });
        Query(refused, "error").ShouldBe("access_denied");
    }
}
