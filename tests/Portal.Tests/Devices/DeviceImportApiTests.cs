using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Portal.Web.Domain;
using Portal.Web.Features.Devices;
using Portal.Web.Infrastructure.Auth;
using static Portal.Tests.Devices.DeviceScenarios;

namespace Portal.Tests.Devices;

/// <summary>
/// The import API as an MDM system calls it (decision 0053): a devices.import token from our OpenIddict server through
/// Duende.IdentityModel, a CSV sent as multipart, the job's id, its status polled, refused rows with their reasons.
/// </summary>
public sealed class DeviceImportApiTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private const string Tac = "35000031";

    private async Task<(string ClientId, string Secret)> ImportClientAsync(string name)
    {
        var admin = await fixture.Portal.SignedInAs("admin@portal.example");
        return await fixture.RegisterAsync(admin,
        [
            new("Name", name), new("Kind", nameof(ApiClientKind.MdmSystem)),
            new("Scopes", ApiScopes.DevicesCheck), new("Scopes", ApiScopes.DevicesImport),
        ]);
    }

    private async Task<string> TokenAsync((string ClientId, string Secret) client, string scope = ApiScopes.DevicesImport)
    {
        var token = await fixture.ClientCredentialsAsync(client.ClientId, client.Secret, scope);
        token.IsError.ShouldBeFalse(token.Error);
        return token.AccessToken!;
    }

    private async Task<HttpResponseMessage> SendAsync(string token, byte[] csv, params (string Field, string Header)[] mapping)
    {
        using var http = fixture.Machine();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var form = new MultipartFormDataContent { { new ByteArrayContent(csv), "file", "intune-export.csv" } };
        foreach (var (field, header) in mapping)
            form.Add(new StringContent(header), $"mapping[{field}]");
        return await http.PostAsync("/api/v1/devices/imports", form);
    }

    private static byte[] Csv(string os, string imeiHeader = "IMEI") => Encoding.UTF8.GetBytes(
        $"DeviceName,Manufacturer,Model,{imeiHeader},OSVersion,PrimaryUser\n"
        + string.Join("\n", Enumerable.Range(1, 3).Select(i => $"Phone {i},Samsung,Galaxy A54,{Imei(Tac, i)},{os},{Scenarios.Staff}"))
        + $"\nBad,Samsung,Galaxy A54,35000031000049,{os},{Scenarios.Staff}"
        + $"\nStranger,Samsung,Galaxy A54,{Imei(Tac, 9)},{os},nobody@portal.example\n");

    private async Task<JsonElement> StatusAsync(string token, string location)
    {
        var response = await fixture.CallAsync(token, location);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.Clone();
    }

    [Fact]
    public async Task An_MDM_system_sends_an_export_polls_its_status_sees_refused_rows_and_sending_it_again_changes_nothing()
    {
        var client = await ImportClientAsync("Intune import");
        var token = await TokenAsync(client);

        var sent = await SendAsync(token, Csv("14"));
        sent.StatusCode.ShouldBe(HttpStatusCode.Accepted, await sent.Content.ReadAsStringAsync());
        var location = sent.Headers.Location!.OriginalString;
        Guid id;
        using (var body = JsonDocument.Parse(await sent.Content.ReadAsStringAsync()))
        {
            id = body.RootElement.GetProperty("id").GetGuid();
            body.RootElement.GetProperty("status").GetString().ShouldBe($"/api/v1/devices/imports/{id}");
        }
        location.ShouldEndWith($"/api/v1/devices/imports/{id}");
        (await StatusAsync(token, location)).GetProperty("state").GetString().ShouldBe("Queued");
        (await fixture.Portal.Db(db => db.Devices.CountAsync(d => d.Tac == Tac))).ShouldBe(0, "queued, not yet imported");

        var run = await fixture.Portal.SendAsync(new RunImport.Command());
        run.ImportId.ShouldBe(id);

        var done = await StatusAsync(token, location);
        done.GetProperty("state").GetString().ShouldBe("Completed");
        (done.GetProperty("rows").GetInt32(), done.GetProperty("inserted").GetInt32(), done.GetProperty("rowsRejected").GetInt32()).ShouldBe((5, 3, 2));
        var refused = done.GetProperty("rejections").EnumerateArray().ToList();
        refused.Select(r => r.GetProperty("line").GetInt32()).ShouldBe([5, 6]);
        refused[0].GetProperty("reason").GetString()!.ShouldContain("IMEI");
        refused[1].GetProperty("reason").GetString()!.ShouldContain("nobody@portal.example");
        done.GetRawText().ShouldNotContain(Imei(Tac, 9), customMessage: "refused rows keep the IMEI's last four digits only");
        var job = await fixture.Portal.Db(db => db.DeviceImports.AsNoTracking().SingleAsync(i => i.Id == id));
        (job.UploadedById, job.UploadedByClientId).ShouldBe((null, await fixture.Portal.Db(db => db.ApiClients.Where(c => c.ClientId == client.ClientId).Select(c => (Guid?)c.Id).SingleAsync())));

        var again = await SendAsync(token, Csv("14"));
        again.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        await fixture.Portal.SendAsync(new RunImport.Command());
        var second = await StatusAsync(token, again.Headers.Location!.OriginalString);
        (second.GetProperty("inserted").GetInt32(), second.GetProperty("updated").GetInt32(), second.GetProperty("unchanged").GetInt32()).ShouldBe((0, 0, 3));
        (await fixture.Portal.Db(db => db.Devices.CountAsync(d => d.Tac == Tac && d.RemovedAt == null))).ShouldBe(3, "importing again never duplicates");

        // Another MDM system does not see this system's imports; an officer (cookie, the page's role) does.
        var other = await TokenAsync(await ImportClientAsync("Another MDM"));
        (await fixture.CallAsync(other, location)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var officer = await fixture.Portal.SignedInAs(Scenarios.Officer);
        (await officer.Http.GetAsync(location)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await officer.Http.GetAsync($"/devices/import/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK, "the officers' page shows an import an MDM system sent");
    }

    [Fact]
    public async Task A_file_the_page_would_refuse_is_refused_whole_with_its_reason_and_a_token_without_the_scope_gets_403()
    {
        var client = await ImportClientAsync("Strict MDM");
        var token = await TokenAsync(client);
        var before = await fixture.Portal.Db(db => db.DeviceImports.CountAsync());

        var unknownColumn = await SendAsync(token, Csv("14", imeiHeader: "Handset serial code"));
        unknownColumn.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        unknownColumn.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await unknownColumn.Content.ReadAsStringAsync()).ShouldContain("Choose the column for: IMEI.");

        var latin1 = await SendAsync(token, [.. Csv("14"), 0xE9, 0x0A]);
        latin1.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await latin1.Content.ReadAsStringAsync()).ShouldContain("not UTF-8");

        var wrongName = await SendAsync(token, Csv("14", imeiHeader: "Handset serial code"), ("Imei", "No such column"));
        wrongName.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await fixture.Portal.Db(db => db.DeviceImports.CountAsync())).ShouldBe(before, "nothing is kept of a refused file");

        var named = await SendAsync(token, Csv("15", imeiHeader: "Handset serial code"), ("Imei", "Handset serial code"));
        named.StatusCode.ShouldBe(HttpStatusCode.Accepted, await named.Content.ReadAsStringAsync());

        var checkOnly = await TokenAsync(client, ApiScopes.DevicesCheck);
        var refused = await SendAsync(checkOnly, Csv("14"));
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        refused.Headers.WwwAuthenticate.ToString().ShouldContain("insufficient_scope");
        (await fixture.CallAsync(checkOnly, named.Headers.Location!.OriginalString)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}
