using System.Net.Http.Headers;
using Duende.IdentityModel.Client;
using Portal.Web.Data;

namespace Portal.Tests.Support;

/// <summary>
/// The app as a token server: its issuer is the test server's own address (so Duende.IdentityModel's discovery
/// checks pass), and API rate windows last an hour so that no test depends on how fast it runs.
/// </summary>
public sealed class ApiFixture : IAsyncLifetime
{
    public const string Issuer = "http://localhost";
    public const int DefaultLimit = 1000;

    public static Dictionary<string, string?> Settings => new()
    {
        ["Portal:BaseUrl"] = Issuer,
        ["Portal:Api:WindowSeconds"] = "3600",
        ["Portal:Api:RequestsPerWindow"] = DefaultLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Portal:Oidc:AccessTokenMinutes"] = "30",
    };

    public PortalFixture Portal { get; } = new(Settings);

    public Task InitializeAsync() => Portal.InitializeAsync();

    public Task DisposeAsync() => Portal.DisposeAsync();

    /// <summary>A plain HTTP client without cookies, as a machine would call.</summary>
    public HttpClient Machine() => Portal.Factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });

    public async Task<TokenResponse> ClientCredentialsAsync(string clientId, string secret = DemoData.ClientSecret, string? scope = null)
    {
        using var http = Machine();
        return await http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = $"{Issuer}/connect/token",
            ClientId = clientId,
            ClientSecret = secret,
            Scope = scope,
        });
    }

    public async Task<HttpResponseMessage> CallAsync(string accessToken, string path)
    {
        using var http = Machine();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return await http.GetAsync(path);
    }

    public Task<Guid> CircularIdAsync(string title) =>
        Portal.Db(db => db.Circulars.Where(c => c.CurrentRevision!.Text.Title == title).Select(c => c.Id).SingleAsync());

    /// <summary>Registers a client through the administrators' form and reads the secret the page shows once.</summary>
    public async Task<(string ClientId, string Secret)> RegisterAsync(PortalClient manager, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var response = await manager.PostFormAsync("/admin/api-clients/new", fields, "/admin/api-clients/new");
        var page = await response.PageAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, string.Join("; ", page.Errors()));
        return (page.QuerySelector("#client-id")!.TextContent, page.QuerySelector("#client-secret")!.TextContent);
    }
}

public static class TokenResponseChecks
{
    /// <summary>The standard OAuth error in the JSON body (Duende's Error holds the HTTP reason for a 401).</summary>
    public static void ShouldBeRefusedAs(this ProtocolResponse response, string error)
    {
        response.IsError.ShouldBeTrue();
        response.Json?.GetProperty("error").GetString().ShouldBe(error, response.Raw);
    }
}
