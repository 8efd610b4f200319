using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using Portal.Web.Infrastructure.Auth;
using static Portal.Tests.Devices.DeviceScenarios;

namespace Portal.Tests.Devices;

/// <summary>The check API as an MDM system calls it: a client-credentials token from our OpenIddict server, through Duende.IdentityModel.</summary>
public sealed class DeviceCheckTokenTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task An_MDM_client_checks_phones_with_a_devices_check_token_and_a_token_without_the_scope_is_refused()
    {
        var token = await fixture.ClientCredentialsAsync("mdm-demo", scope: ApiScopes.DevicesCheck);
        token.IsError.ShouldBeFalse(token.Error);
        var banned = Imei("86439602", 81);

        var single = await fixture.CallAsync(token.AccessToken!, $"/api/v1/devices/check?imei={banned}");
        single.StatusCode.ShouldBe(HttpStatusCode.OK);
        using (var body = JsonDocument.Parse(await single.Content.ReadAsStringAsync()))
        {
            body.RootElement.GetProperty("verdict").GetString().ShouldBe("Banned");
            body.RootElement.GetProperty("circulars")[0].GetProperty("reference").GetString().ShouldStartWith("SEC/ADV/");
        }

        using var http = fixture.Machine();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
        var batch = await http.PostAsJsonAsync("/api/v1/devices/check", new { devices = new object[] { new { imei = banned }, new { tac = "35226806" } } });
        batch.StatusCode.ShouldBe(HttpStatusCode.OK, await batch.Content.ReadAsStringAsync());
        using (var body = JsonDocument.Parse(await batch.Content.ReadAsStringAsync()))
            body.RootElement.EnumerateArray().Select(a => a.GetProperty("verdict").GetString()).ShouldBe(["Banned", "Allowed"]);

        var readOnly = await fixture.ClientCredentialsAsync("mdm-demo", scope: ApiScopes.CircularsRead);
        var refused = await fixture.CallAsync(readOnly.AccessToken!, $"/api/v1/devices/check?imei={banned}");
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        refused.Headers.WwwAuthenticate.ToString().ShouldContain("insufficient_scope");
    }

    [Fact]
    public async Task A_revoked_token_is_refused_on_the_next_call()
    {
        var token = (await fixture.ClientCredentialsAsync("mdm-demo", scope: ApiScopes.DevicesCheck)).AccessToken!;
        var path = $"/api/v1/devices/check?imei={Imei("86439602", 81)}";
        (await fixture.CallAsync(token, path)).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Signed, not encrypted (decision 0054): a JWS has three parts, and its header names the signing key.
        var parts = token.Split('.');
        parts.Length.ShouldBe(3);
        var header = JsonDocument.Parse(Convert.FromBase64String(Pad(parts[0]))).RootElement;
        header.GetProperty("alg").GetString().ShouldBe("RS256");
        header.TryGetProperty("enc", out _).ShouldBeFalse();
        var claims = JsonDocument.Parse(Convert.FromBase64String(Pad(parts[1]))).RootElement;
        var id = (claims.TryGetProperty("oi_tkn_id", out var tokenId) ? tokenId : claims.GetProperty("jti")).GetString()!;

        await using (var scope = fixture.Portal.Factory.Services.CreateAsyncScope())
        {
            var tokens = scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>();
            (await tokens.TryRevokeAsync((await tokens.FindByIdAsync(id))!)).ShouldBeTrue();
        }
        var refused = await fixture.CallAsync(token, path);
        refused.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        refused.Headers.WwwAuthenticate.ToString().ShouldContain("invalid_token");
    }

    private static string Pad(string part)
    {
        var text = part.Replace('-', '+').Replace('_', '/');
        return text.PadRight(text.Length + (4 - text.Length % 4) % 4, '=');
    }

    [Fact]
    public async Task The_openapi_document_lists_the_device_check_endpoints_with_their_scope()
    {
        using var http = fixture.Machine();
        using var document = JsonDocument.Parse(await http.GetStringAsync("/openapi/v1.json"));
        var check = document.RootElement.GetProperty("paths").GetProperty("/api/v1/devices/check");
        foreach (var method in new[] { "get", "post" })
            check.GetProperty(method).GetProperty("security")[0].GetProperty("oauth2").EnumerateArray().Select(s => s.GetString())
                .ShouldContain(ApiScopes.DevicesCheck, method);
    }
}
