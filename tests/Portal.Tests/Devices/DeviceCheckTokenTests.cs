using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
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
