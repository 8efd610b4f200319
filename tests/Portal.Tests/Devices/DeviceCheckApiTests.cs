using System.Net.Http.Json;
using System.Text.Json;
using static Portal.Tests.Devices.DeviceScenarios;

namespace Portal.Tests.Devices;

/// <summary>
/// The lookup API. Until the token server lands, callers are signed in (cookie, antiforgery header on POST);
/// only the authentication changes when it does.
/// </summary>
public sealed class DeviceCheckApiTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<HttpResponseMessage> PostBatchAsync(PortalClient client, object body)
    {
        var token = await client.AntiforgeryTokenAsync("/devices");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/devices/check") { Content = JsonContent.Create(body) };
        request.Headers.Add("X-CSRF-TOKEN", token);
        return await client.Http.SendAsync(request);
    }

    [Fact]
    public async Task A_banned_phone_is_answered_banned_with_the_circular_reference()
    {
        var client = await fixture.SignedInAs(Scenarios.Staff);

        var answer = await JsonAsync(await client.Http.GetAsync($"/api/v1/devices/check?imei={Imei("86439602", 1)}"));

        answer.GetProperty("verdict").GetString().ShouldBe("Banned");
        answer.GetProperty("model").GetString().ShouldBe("Redmi 1S");
        answer.GetProperty("circulars")[0].GetProperty("reference").GetString().ShouldStartWith("SEC/ADV/");
    }

    [Fact]
    public async Task A_restricted_model_is_allowed_once_its_firmware_is_at_the_fixed_version()
    {
        var client = await fixture.SignedInAs(Scenarios.Staff);

        var old = await JsonAsync(await client.Http.GetAsync("/api/v1/devices/check?tac=86517402&firmware=V5.8.9"));
        var unknownVersion = await JsonAsync(await client.Http.GetAsync("/api/v1/devices/check?tac=86517402"));
        var fixedOne = await JsonAsync(await client.Http.GetAsync("/api/v1/devices/check?tac=86517402&firmware=V5.8.22"));

        old.GetProperty("verdict").GetString().ShouldBe("Restricted");
        unknownVersion.GetProperty("verdict").GetString().ShouldBe("Restricted");
        unknownVersion.GetProperty("circulars")[0].GetProperty("firmwareBelow").GetString().ShouldBe("V5.8.22");
        fixedOne.GetProperty("verdict").GetString().ShouldBe("Allowed");
        fixedOne.GetProperty("circulars").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task A_batch_answers_each_device_in_order()
    {
        var client = await fixture.SignedInAs(Scenarios.Staff);

        var answers = await JsonAsync(await PostBatchAsync(client, new
        {
            devices = new object[] { new { imei = Imei("35000020", 1) }, new { tac = "86439702" }, new { imei = Imei("86517502", 2), firmware = "V6" } },
        }));

        answers.EnumerateArray().Select(a => a.GetProperty("verdict").GetString()).ShouldBe(["Allowed", "Banned", "Allowed"]);
    }

    [Theory]
    [InlineData("imei=490154203237519")]
    [InlineData("imei=abc")]
    [InlineData("tac=123")]
    [InlineData("")]
    public async Task A_wrong_IMEI_or_TAC_is_a_problem_details_400(string query)
    {
        var client = await fixture.SignedInAs(Scenarios.Staff);

        var response = await client.Http.GetAsync($"/api/v1/devices/check?{query}");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }

    [Fact]
    public async Task A_batch_of_more_than_1000_or_malformed_JSON_is_refused()
    {
        var client = await fixture.SignedInAs(Scenarios.Staff);

        var tooMany = await PostBatchAsync(client, new { devices = Enumerable.Range(0, 1001).Select(_ => new { tac = "86439602" }) });
        tooMany.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await tooMany.Content.ReadAsStringAsync()).ShouldContain("at most 1000");
        var thousand = await PostBatchAsync(client, new { devices = Enumerable.Range(0, 1000).Select(_ => new { tac = "86439602" }) });
        (await JsonAsync(thousand)).GetArrayLength().ShouldBe(1000);
        (await PostBatchAsync(client, "{not json")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Without_authentication_the_API_answers_401()
    {
        var anonymous = fixture.Client();
        (await anonymous.Http.GetAsync("/api/v1/devices/check?tac=86439602")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
