using System.Net.Http.Json;
using System.Text.Json;
using Duende.IdentityModel.Client;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Infrastructure.Auth;

namespace Portal.Tests;

/// <summary>
/// Machine clients through a real OAuth client library (Duende.IdentityModel): discovery, client credentials,
/// the API with the token; scopes, vendor isolation, revocation, rotation and the per-client rate limit.
/// </summary>
public sealed class ApiTokenTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private const string Admin = "admin@portal.example";

    [Fact]
    public async Task Discovery_names_the_endpoints_flows_and_signing_keys()
    {
        using var http = fixture.Machine();
        var disco = await http.GetDiscoveryDocumentAsync(new DiscoveryDocumentRequest
        {
            Address = ApiFixture.Issuer,
            Policy = { RequireHttps = false },
        });

        disco.IsError.ShouldBeFalse(disco.Error);
        disco.Issuer.ShouldBe($"{ApiFixture.Issuer}/");
        disco.TokenEndpoint.ShouldBe($"{ApiFixture.Issuer}/connect/token");
        disco.AuthorizeEndpoint.ShouldBe($"{ApiFixture.Issuer}/connect/authorize");
        disco.EndSessionEndpoint.ShouldBe($"{ApiFixture.Issuer}/connect/logout");
        disco.GrantTypesSupported.ShouldBe(["authorization_code", "client_credentials", "refresh_token"], ignoreOrder: true);
        disco.CodeChallengeMethodsSupported.ShouldContain("S256");
        foreach (var scope in ApiScopes.All)
            disco.ScopesSupported.ShouldContain(scope);
        disco.KeySet!.Keys.ShouldContain(k => k.Use == "sig" && k.Kty == "RSA");
    }

    [Fact]
    public async Task Mdm_client_reads_a_clear_circular_with_its_token_but_not_an_amber_one()
    {
        var clear = await fixture.CircularIdAsync(DemoData.PublishedCircularTitle);
        var amber = await fixture.Portal.PublishedCircularAsync("Amber for wing 2 only", TlpLabel.Amber, "W2");

        var token = await fixture.ClientCredentialsAsync("mdm-demo", scope: $"{ApiScopes.CircularsRead} {ApiScopes.DevicesCheck}");
        token.IsError.ShouldBeFalse(token.Error);
        token.TokenType.ShouldBe("Bearer");

        var response = await fixture.CallAsync(token.AccessToken!, $"/api/circulars/{clear}");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using (var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()))
            body.RootElement.GetProperty("id").GetGuid().ShouldBe(clear);
        (await fixture.CallAsync(token.AccessToken!, $"/api/circulars/{amber}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var lastUsed = await fixture.Portal.Db(db => db.ApiClients.Where(c => c.ClientId == "mdm-demo").Select(c => c.LastUsedAt).SingleAsync());
        lastUsed.ShouldNotBeNull();
        // An API call counts as use too (at most one write per minute and instance): set it back an hour, let the minute
        // pass, and call again.
        await fixture.Portal.Db(db => db.ApiClients.Where(c => c.ClientId == "mdm-demo")
            .ExecuteUpdateAsync(set => set.SetProperty(c => c.LastUsedAt, lastUsed.Value.AddHours(-1))));
        (await fixture.CallAsync(token.AccessToken!, $"/api/circulars/{clear}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await fixture.Portal.Db(db => db.ApiClients.Where(c => c.ClientId == "mdm-demo").Select(c => c.LastUsedAt).SingleAsync()))
            .ShouldBe(lastUsed.Value.AddHours(-1), "within the minute nothing is written");
        fixture.Portal.Factory.Clock.Advance(TimeSpan.FromMinutes(2));
        (await fixture.CallAsync(token.AccessToken!, $"/api/circulars/{clear}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await fixture.Portal.Db(db => db.ApiClients.Where(c => c.ClientId == "mdm-demo").Select(c => c.LastUsedAt).SingleAsync()))
            .ShouldNotBeNull().ShouldBeGreaterThan(lastUsed.Value.AddMinutes(-1));
    }

    [Fact]
    public async Task Wrong_secret_and_unknown_client_are_refused_as_invalid_client()
    {
        var wrong = await fixture.ClientCredentialsAsync("mdm-demo", secret: "Portal-Demo-Client-2025");
        wrong.IsError.ShouldBeTrue();
        wrong.ShouldBeRefusedAs("invalid_client");
        wrong.HttpStatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        wrong.AccessToken.ShouldBeNull();

        var unknown = await fixture.ClientCredentialsAsync("nobody-demo");
        unknown.ShouldBeRefusedAs("invalid_client");
        unknown.AccessToken.ShouldBeNull();
    }

    [Fact]
    public async Task A_scope_the_client_was_not_given_is_refused_and_a_token_without_the_scope_gets_403_insufficient_scope()
    {
        // RFC 6749 5.2: a scope the client was not given and an unknown scope are both invalid_scope.
        var notGiven = await fixture.ClientCredentialsAsync("xiaomi-demo", scope: ApiScopes.DevicesImport);
        notGiven.ShouldBeRefusedAs("invalid_scope");
        notGiven.AccessToken.ShouldBeNull();
        var unknown = await fixture.ClientCredentialsAsync("mdm-demo", scope: "everything");
        unknown.ShouldBeRefusedAs("invalid_scope");
        unknown.AccessToken.ShouldBeNull();

        var clear = await fixture.CircularIdAsync(DemoData.PublishedCircularTitle);
        var checkOnly = await fixture.ClientCredentialsAsync("mdm-demo", scope: ApiScopes.DevicesCheck);
        var response = await fixture.CallAsync(checkOnly.AccessToken!, $"/api/circulars/{clear}");
        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        response.Headers.WwwAuthenticate.ToString().ShouldContain("insufficient_scope");

        var vendorCases = await fixture.ClientCredentialsAsync("xiaomi-demo");
        (await fixture.CallAsync(vendorCases.AccessToken!, $"/api/circulars/{clear}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_missing_or_forged_token_is_401_and_a_token_cannot_post_a_draft()
    {
        var clear = await fixture.CircularIdAsync(DemoData.PublishedCircularTitle);
        using (var http = fixture.Machine())
            (await http.GetAsync($"/api/circulars/{clear}")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var forged = await fixture.CallAsync("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", $"/api/circulars/{clear}");
        forged.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        forged.Headers.WwwAuthenticate.ToString().ShouldContain("invalid_token");

        var token = await fixture.ClientCredentialsAsync("mdm-demo");
        using var machine = fixture.Machine();
        machine.SetBearerToken(token.AccessToken!);
        var draft = await machine.PostAsJsonAsync("/api/circulars/drafts", new { Title = "By a machine" });
        draft.StatusCode.ShouldBeOneOf(HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden);
        (await fixture.Portal.Db(db => db.Circulars.AnyAsync(c => c.Text.Title == "By a machine"))).ShouldBeFalse();
    }

    [Fact]
    public async Task A_vendor_client_reads_exactly_what_its_vendors_users_read()
    {
        var admin = await fixture.Portal.SignedInAs(Admin);
        (await admin.PostFormAsync("/admin/vendors/new", new() { ["Name"] = "Other Phones Ltd" })).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var xiaomi = await fixture.Portal.Db(db => db.VendorOrganisations.Where(v => v.Name == "Xiaomi").Select(v => v.Id).SingleAsync());
        var other = await fixture.Portal.Db(db => db.VendorOrganisations.Where(v => v.Name == "Other Phones Ltd").Select(v => v.Id).SingleAsync());
        var xiaomiReader = await fixture.RegisterAsync(admin, VendorClient("Xiaomi reader", xiaomi));
        var otherReader = await fixture.RegisterAsync(admin, VendorClient("Other reader", other));

        var redmi = await fixture.CircularIdAsync(DemoData.PublishedCircularTitle);
        var unrelated = await fixture.Portal.PublishedCircularAsync("Clear, about another maker", TlpLabel.Clear);

        var xiaomiToken = (await fixture.ClientCredentialsAsync(xiaomiReader.ClientId, xiaomiReader.Secret)).AccessToken!;
        var otherToken = (await fixture.ClientCredentialsAsync(otherReader.ClientId, otherReader.Secret)).AccessToken!;
        var xiaomiUser = await fixture.Portal.SignedInAs(Scenarios.Vendor);

        (await fixture.CallAsync(xiaomiToken, $"/api/circulars/{redmi}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await xiaomiUser.Http.GetAsync($"/api/circulars/{redmi}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await fixture.CallAsync(otherToken, $"/api/circulars/{redmi}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await fixture.CallAsync(xiaomiToken, $"/api/circulars/{unrelated}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await xiaomiUser.Http.GetAsync($"/api/circulars/{unrelated}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var body = await (await fixture.CallAsync(xiaomiToken, $"/api/circulars/{redmi}")).Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(body);
        json.RootElement.GetProperty("text").GetProperty("internalNotes").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    [Fact]
    public async Task A_revoked_client_gets_no_new_token_and_its_issued_token_stops_working()
    {
        var admin = await fixture.Portal.SignedInAs(Admin);
        var (clientId, secret) = await fixture.RegisterAsync(admin, MdmClient("Soon revoked MDM"));
        var token = (await fixture.ClientCredentialsAsync(clientId, secret)).AccessToken!;
        var clear = await fixture.CircularIdAsync(DemoData.PublishedCircularTitle);
        (await fixture.CallAsync(token, $"/api/circulars/{clear}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var id = await fixture.Portal.Db(db => db.ApiClients.Where(c => c.ClientId == clientId).Select(c => c.Id).SingleAsync());
        (await admin.PostFormAsync($"/admin/api-clients/{id}/revoke", new(), "/admin/api-clients")).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        (await fixture.CallAsync(token, $"/api/circulars/{clear}")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await fixture.ClientCredentialsAsync(clientId, secret)).ShouldBeRefusedAs("invalid_client");
        var (_, list) = await admin.GetPageAsync("/admin/api-clients");
        list.Body!.TextContent.ShouldContain("Revoked");
    }

    [Fact]
    public async Task Rotating_the_secret_shows_a_new_one_once_and_the_old_one_stops_working()
    {
        var admin = await fixture.Portal.SignedInAs(Admin);
        var (clientId, oldSecret) = await fixture.RegisterAsync(admin, MdmClient("Rotated MDM"));
        var id = await fixture.Portal.Db(db => db.ApiClients.Where(c => c.ClientId == clientId).Select(c => c.Id).SingleAsync());

        var rotated = await admin.PostFormAsync($"/admin/api-clients/{id}/rotate", new(), "/admin/api-clients");
        rotated.StatusCode.ShouldBe(HttpStatusCode.OK);
        rotated.Headers.CacheControl!.NoStore.ShouldBeTrue();
        rotated.Headers.CacheControl.NoCache.ShouldBeTrue("the page has forms: antiforgery would override a header without it, with a warning");
        var newSecret = (await rotated.PageAsync()).QuerySelector("#client-secret")!.TextContent;
        newSecret.ShouldNotBe(oldSecret);

        (await fixture.ClientCredentialsAsync(clientId, oldSecret)).ShouldBeRefusedAs("invalid_client");
        (await fixture.ClientCredentialsAsync(clientId, newSecret)).IsError.ShouldBeFalse();
        var (_, list) = await admin.GetPageAsync("/admin/api-clients");
        list.Body!.TextContent.ShouldNotContain(newSecret);
    }

    [Fact]
    public async Task A_client_over_its_own_limit_is_answered_429_with_retry_after()
    {
        var admin = await fixture.Portal.SignedInAs(Admin);
        var (clientId, secret) = await fixture.RegisterAsync(admin, MdmClient("Chatty MDM", limit: 2));
        var token = (await fixture.ClientCredentialsAsync(clientId, secret)).AccessToken!;
        var clear = await fixture.CircularIdAsync(DemoData.PublishedCircularTitle);

        (await fixture.CallAsync(token, $"/api/circulars/{clear}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await fixture.CallAsync(token, $"/api/circulars/{clear}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var refused = await fixture.CallAsync(token, $"/api/circulars/{clear}");
        refused.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds.ShouldBeInRange(1, 3600);

        // Another client has its own window.
        var other = (await fixture.ClientCredentialsAsync("mdm-demo")).AccessToken!;
        (await fixture.CallAsync(other, $"/api/circulars/{clear}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Bad_registrations_are_refused_on_the_same_form_with_what_was_typed()
    {
        var admin = await fixture.Portal.SignedInAs(Admin);
        var response = await admin.PostFormAsync("/admin/api-clients/new", new Dictionary<string, string>
        {
            ["Name"] = "Broken <script> MDM",
            ["Kind"] = nameof(ApiClientKind.MdmSystem),
            ["Scopes"] = ApiScopes.VendorCases,
            ["RedirectUris"] = "javascript:alert(1)\nhttp://evil.example/cb",
            ["RequestsPerWindow"] = "0",
        }, "/admin/api-clients/new");
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var page = await response.PageAsync();
        page.Errors().ShouldContain("A system of the kind “MDM system” cannot be given the scope vendor.cases.");
        page.Errors().ShouldContain("An MDM system signs nobody in: leave the redirect addresses empty.");
        page.Errors().ShouldContain(e => e.StartsWith("'javascript:alert(1)' is not a redirect address", StringComparison.Ordinal));
        page.Errors().ShouldContain(e => e.StartsWith("Enter a request limit", StringComparison.Ordinal));
        page.FieldValue("Name").ShouldBe("Broken <script> MDM");
        (await fixture.Portal.Db(db => db.ApiClients.AnyAsync(c => c.Name.StartsWith("Broken")))).ShouldBeFalse();

        var nonsense = await admin.PostFormAsync("/admin/api-clients/new", new Dictionary<string, string>
        {
            ["Name"] = "", ["Kind"] = "Spaceship", ["Scopes"] = "everything", ["VendorOrganisationId"] = "not-a-guid",
        }, "/admin/api-clients/new");
        nonsense.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_vendor_administrator_manages_only_their_own_organisations_vendor_systems()
    {
        var vendorAdmin = await fixture.Portal.SignedInAs(Scenarios.Vendor);
        var (list, page) = await vendorAdmin.GetPageAsync("/admin/api-clients");
        list.StatusCode.ShouldBe(HttpStatusCode.OK);
        page.Body!.TextContent.ShouldContain("xiaomi-demo");
        page.Body.TextContent.ShouldNotContain("mdm-demo");

        var mdm = await fixture.Portal.Db(db => db.ApiClients.Where(c => c.ClientId == "mdm-demo").Select(c => c.Id).SingleAsync());
        (await vendorAdmin.PostFormAsync($"/admin/api-clients/{mdm}/rotate", new(), "/admin/api-clients")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await vendorAdmin.PostFormAsync($"/admin/api-clients/{mdm}/revoke", new(), "/admin/api-clients")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var refused = await vendorAdmin.PostFormAsync("/admin/api-clients/new", new Dictionary<string, string>
        {
            ["Name"] = "Sneaky MDM", ["Kind"] = nameof(ApiClientKind.MdmSystem), ["Scopes"] = ApiScopes.DevicesImport,
        }, "/admin/api-clients/new");
        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        var other = await fixture.Portal.Db(db => db.VendorOrganisations.Where(v => v.Name != "Xiaomi").Select(v => (Guid?)v.Id).FirstOrDefaultAsync());
        var (clientId, _) = await fixture.RegisterAsync(vendorAdmin, VendorClient("Xiaomi ticket bridge", other ?? Guid.NewGuid()));
        var registered = await fixture.Portal.Db(db => db.ApiClients.Include(c => c.VendorOrganisation).SingleAsync(c => c.ClientId == clientId));
        registered.VendorOrganisation!.Name.ShouldBe("Xiaomi");

        var staff = await fixture.Portal.SignedInAs(Scenarios.Staff);
        (await staff.GetPageAsync("/admin/api-clients")).Response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task End_session_asks_then_signs_the_person_out()
    {
        var staff = await fixture.Portal.SignedInAs(Scenarios.Staff);
        var (page, confirm) = await staff.GetPageAsync("/connect/logout");
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        confirm.QuerySelector("form[action='/connect/logout'] button")!.TextContent.ShouldBe("Sign out");

        var signedOut = await staff.PostFormAsync("/connect/logout", new(), "/connect/logout");
        signedOut.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await staff.Http.GetAsync("/inbox")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    private static List<KeyValuePair<string, string>> MdmClient(string name, int? limit = null)
    {
        var fields = new List<KeyValuePair<string, string>>
        {
            new("Name", name), new("Kind", nameof(ApiClientKind.MdmSystem)),
            new("Scopes", ApiScopes.CircularsRead), new("Scopes", ApiScopes.DevicesCheck),
        };
        if (limit is { } n)
            fields.Add(new("RequestsPerWindow", n.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return fields;
    }

    private static List<KeyValuePair<string, string>> VendorClient(string name, Guid vendor) =>
    [
        new("Name", name), new("Kind", nameof(ApiClientKind.VendorSystem)), new("VendorOrganisationId", vendor.ToString()),
        new("Scopes", ApiScopes.CircularsRead), new("Scopes", ApiScopes.VendorCases),
    ];
}
