using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Portal.Web.Data;

namespace Portal.Tests.Support;

/// <summary>One database and one app per test class.</summary>
public sealed class PortalFixture : IAsyncLifetime
{
    private readonly IReadOnlyDictionary<string, string?>? _settings;

    public PortalFixture() { }

    /// <summary>For fixtures that point the app at their own servers (an SMTP sink, an SMS gateway).</summary>
    internal PortalFixture(IReadOnlyDictionary<string, string?> settings) => _settings = settings;

    public string Database { get; private set; } = "";
    public PortalFactory Factory { get; private set; } = null!;
    public string ConnectionString => TestDatabases.For(Database);

    public async Task InitializeAsync()
    {
        Database = await TestDatabases.CreateAsync();
        Factory = new PortalFactory(ConnectionString, _settings);
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await TestDatabases.DropAsync(Database);
    }

    /// <summary>A browser-like client: keeps cookies, does not follow redirects so tests can see them.</summary>
    public PortalClient Client() => new(Factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true }), Factory.Clock);

    public async Task<PortalClient> SignedInAs(string email)
    {
        var client = Client();
        await client.SignInAsync(email);
        return client;
    }

    /// <summary>Sends a command as the app's own background services do (the scheduler, the dispatcher).</summary>
    public async Task<T> SendAsync<T>(Mediator.ICommand<T> command)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<Mediator.IMediator>().Send(command, CancellationToken.None);
    }

    /// <summary>Sends a command as <paramref name="actingAs"/> would through a page (see <see cref="Portal.Web.Infrastructure.Auth.CurrentUser.For"/>).</summary>
    public async Task<T> SendAsync<T>(Mediator.ICommand<T> command, System.Security.Claims.ClaimsPrincipal actingAs)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<Portal.Web.Infrastructure.Auth.CurrentUser>().Assume(actingAs);
        return await scope.ServiceProvider.GetRequiredService<Mediator.IMediator>().Send(command, CancellationToken.None);
    }

    public async Task<T> SendAsync<T>(Mediator.IRequest<T> request)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<Mediator.IMediator>().Send(request, CancellationToken.None);
    }

    public async Task<T> Db<T>(Func<PortalDbContext, Task<T>> query)
    {
        await using var scope = Factory.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<PortalDbContext>());
    }
}

public sealed class PortalClient(HttpClient http, TestClock clock)
{
    private static readonly HtmlParser Parser = new();

    public HttpClient Http => http;

    public async Task SignInAsync(string email, string password = DemoData.Password)
    {
        var response = await PostFormAsync("/account/sign-in", new() { ["Email"] = email, ["Password"] = password });
        if (response.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"Sign-in of {email} answered {(int)response.StatusCode}.");
        if (response.Headers.Location!.OriginalString.StartsWith("/account/two-factor", StringComparison.Ordinal))
        {
            response = await PostFormAsync(response.Headers.Location.OriginalString,
                new() { ["Code"] = Totp.Code(DemoData.AuthenticatorKey, clock.GetUtcNow()) });
            if (response.StatusCode != HttpStatusCode.Redirect)
                throw new InvalidOperationException($"Two-factor sign-in of {email} answered {(int)response.StatusCode}.");
        }
    }

    public async Task<(HttpResponseMessage Response, IHtmlDocument Page)> GetPageAsync(string url)
    {
        var response = await http.GetAsync(url);
        return (response, Parser.ParseDocument(await response.Content.ReadAsStringAsync()));
    }

    /// <summary>Loads the form page first (as a browser would) for its antiforgery token, then posts the fields.</summary>
    public Task<HttpResponseMessage> PostFormAsync(string url, Dictionary<string, string> fields, string? formPage = null) =>
        PostFormAsync(url, (IEnumerable<KeyValuePair<string, string>>)fields, formPage ?? url);

    /// <summary>For forms that repeat a field name (checkbox lists such as Roles).</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string url, IEnumerable<KeyValuePair<string, string>> fields, string formPage)
    {
        var token = await AntiforgeryTokenAsync(formPage);
        var body = new List<KeyValuePair<string, string>>(fields) { new("__RequestVerificationToken", token) };
        return await http.PostAsync(url, new FormUrlEncodedContent(body));
    }

    public async Task<string> AntiforgeryTokenAsync(string pageUrl)
    {
        var (response, page) = await GetPageAsync(pageUrl);
        var input = page.QuerySelector("input[name=__RequestVerificationToken]") as IHtmlInputElement
            ?? throw new InvalidOperationException($"{pageUrl} ({(int)response.StatusCode}) has no form with an antiforgery token.");
        return input.Value;
    }

    public static IHtmlDocument Parse(string html) => Parser.ParseDocument(html);
}

public static class ResponseExtensions
{
    public static async Task<IHtmlDocument> PageAsync(this HttpResponseMessage response) =>
        PortalClient.Parse(await response.Content.ReadAsStringAsync());

    public static string? FieldValue(this IHtmlDocument page, string name) =>
        (page.QuerySelector($"[name='{name}']") as IHtmlInputElement)?.Value
        ?? (page.QuerySelector($"textarea[name='{name}']") as IHtmlTextAreaElement)?.Value;

    public static IReadOnlyList<string> Errors(this IHtmlDocument page) =>
        page.QuerySelectorAll(".error-summary li").Select(e => e.TextContent.Trim()).ToList();
}
