using System.Text;
using System.Text.Json;
using Duende.IdentityModel.Client;
using Portal.Web.Data;
using Portal.Web.Infrastructure.Oidc;

namespace Portal.Tests;

/// <summary>
/// The token keys live in the database: a second instance validates the first one's tokens, the keys survive
/// a restart, expired tokens are refused, and a rotation keeps the old key for tokens already issued.
/// </summary>
public sealed class TokenKeysTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Two_instances_validate_each_others_tokens_and_refuse_them_once_expired()
    {
        var clear = await fixture.CircularIdAsync(DemoData.PublishedCircularTitle);
        var fromFirst = (await fixture.ClientCredentialsAsync("mdm-demo")).AccessToken!;

        await using var second = new PortalFactory(fixture.Portal.ConnectionString, ApiFixture.Settings);
        using var secondHttp = second.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        secondHttp.SetBearerToken(fromFirst);
        (await secondHttp.GetAsync($"/api/circulars/{clear}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var fromSecond = await secondHttp.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = "/connect/token", ClientId = "mdm-demo", ClientSecret = DemoData.ClientSecret,
        });
        (await fixture.CallAsync(fromSecond.AccessToken!, $"/api/circulars/{clear}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await JwksAsync(secondHttp)).ShouldBe(await JwksAsync(fixture.Machine()));

        // Access tokens last 30 minutes here (Portal:Oidc:AccessTokenMinutes).
        second.Clock.Advance(TimeSpan.FromMinutes(31));
        var expired = await secondHttp.GetAsync($"/api/circulars/{clear}");
        expired.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        expired.Headers.WwwAuthenticate.ToString().ShouldContain("invalid_token");
    }

    private static async Task<List<(string Kid, string Use)>> JwksAsync(HttpClient http)
    {
        using var json = JsonDocument.Parse(await http.GetStringAsync("/.well-known/jwks"));
        return json.RootElement.GetProperty("keys").EnumerateArray()
            .Select(k => (k.GetProperty("kid").GetString()!, k.GetProperty("use").GetString()!)).OrderBy(k => k.Item1).ToList();
    }

    /// <summary>The key id in the token's (JWS) header: which signing key the issuing instance used (access tokens are signed, not encrypted: decision 0054).</summary>
    private static string KeyIdOf(string token)
    {
        var header = token.Split('.')[0].Replace('-', '+').Replace('_', '/');
        header = header.PadRight(header.Length + (4 - header.Length % 4) % 4, '=');
        using var json = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(header)));
        return json.RootElement.GetProperty("kid").GetString()!;
    }

    internal static Task<List<(string Kid, string Use)>> KeysAsync(HttpClient http) => JwksAsync(http);

    internal static string KeyOf(string token) => KeyIdOf(token);
}

/// <summary>In its own database: rotating changes the keys every other test's instance loaded at start.</summary>
public sealed class TokenKeyRotationTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task After_a_rotation_a_restarted_instance_signs_with_the_new_key_and_still_accepts_tokens_of_the_old_one()
    {
        var clear = await fixture.CircularIdAsync(DemoData.PublishedCircularTitle);
        var before = await fixture.Portal.Db(db => db.OidcKeys.Select(k => k.Id).ToListAsync());
        var oldToken = (await fixture.ClientCredentialsAsync("mdm-demo")).AccessToken!;

        await using (var scope = fixture.Portal.Factory.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<OidcKeyStore>().RotateAsync(TimeSpan.Zero);
        var newSigningKey = await fixture.Portal.Db(db => db.OidcKeys.Where(k => k.Use == OidcKeyUse.Signing)
            .OrderByDescending(k => k.NotBefore).Select(k => k.Id).FirstAsync());
        before.ShouldNotContain(newSigningKey);

        await using var restarted = new PortalFactory(fixture.Portal.ConnectionString, ApiFixture.Settings);
        using var http = restarted.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        (await TokenKeysTests.KeysAsync(http)).Count(k => k.Use == "sig").ShouldBe(2);

        http.SetBearerToken(oldToken);
        (await http.GetAsync($"/api/circulars/{clear}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var newToken = (await http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
        {
            Address = "/connect/token", ClientId = "mdm-demo", ClientSecret = DemoData.ClientSecret,
        })).AccessToken!;
        TokenKeysTests.KeyOf(newToken).ShouldBe(newSigningKey.ToString("N"));
        TokenKeysTests.KeyOf(oldToken).ShouldNotBe(newSigningKey.ToString("N"));
        http.SetBearerToken(newToken);
        (await http.GetAsync($"/api/circulars/{clear}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

}
