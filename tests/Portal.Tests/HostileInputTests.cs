using System.Net.Http.Json;
using System.Text;

namespace Portal.Tests;

/// <summary>
/// Every field of every form and API, found from the app's own endpoint and model metadata, receives the
/// values that used to end in a 500 (a NUL byte, 2147483647, 10 MB, nothing, "..", a long search of hyphens):
/// each must be refused or accepted with a 4xx/2xx/3xx answer, never a server error.
/// </summary>
public sealed class HostileInputTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private static readonly (string Name, string Value)[] Hostile =
    [
        ("a NUL byte", "nobody\0@x.example"),
        ("a control character", "\u0001\u001b[2J"),
        ("int.MaxValue", "2147483647"),
        ("int.MinValue", "-2147483648"),
        ("nothing", ""),
        ("a blank", " "),
        ("a path", "../../etc/passwd"),
        ("40 hyphens", new string('-', 40)),
        ("100,000 characters", new string('x', 100_000)),
    ];

    private static readonly HashSet<string> SweptAlone = ["a NUL byte", "int.MaxValue", "nothing", "100,000 characters"];

    private static readonly string TenMegabytes = new('y', 10 * 1024 * 1024);

    /// <summary>Routes the sweep leaves alone: signing out would end the sweeping session itself.</summary>
    private static readonly HashSet<string> NotSwept = ["POST account/sign-out"];

    private static readonly string[] RolePreference =
        [Portal.Web.Domain.Roles.SecurityOfficer, Portal.Web.Domain.Roles.Approver, Portal.Web.Domain.Roles.Administrator,
         Portal.Web.Domain.Roles.Staff, Portal.Web.Domain.Roles.UnitCommander, Portal.Web.Domain.Roles.Auditor, Portal.Web.Domain.Roles.Vendor];

    /// <summary>The sweep is split in <see cref="SweepShards"/> test classes, each with its own app and database, so
    /// that it runs beside the rest of the suite instead of after it (one sweep alone took a quarter of the run).</summary>
    internal const int SweepShards = 3;

    [Fact]
    public Task No_hostile_value_in_any_field_of_any_route_causes_a_server_error() => SweepAsync(fixture, 0);

    /// <summary>Every <see cref="SweepShards"/>-th swept route, starting at <paramref name="shard"/>.</summary>
    internal static async Task SweepAsync(PortalFixture fixture, int shard)
    {
        var routes = AppRoutes.Discover(fixture.Factory.Services);
        routes.Count.ShouldBeGreaterThan(50, "the sweep must see the app's routes");
        var ids = await DemoIds.LoadAsync(fixture);
        var sessions = new Dictionary<string, (PortalClient Client, string Token)>();
        var failures = new List<string>();
        var requests = 0;

        var swept = routes.Where(r => !NotSwept.Contains(r.Key)).OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        foreach (var route in swept.Where((_, i) => i % SweepShards == shard))
        {
            var role = route.Anonymous || route.RoleSets.Count == 0 && route.Template.StartsWith("family/", StringComparison.Ordinal)
                ? ""
                : route.RoleSets.Count == 0 ? Portal.Web.Domain.Roles.Staff : RolePreference.FirstOrDefault(route.Allows);
            if (role is null) continue;
            if (!sessions.TryGetValue(role, out var session))
                sessions[role] = session = await SessionAsync(fixture, role);

            var urls = new List<string>
            {
                AppRoutes.Url(route, (p, c) => ids.For(route.Template, p, c, draft: !route.IsGet)),
                AppRoutes.Url(route, (p, c) => c.Contains("guid", StringComparison.Ordinal) ? Guid.NewGuid().ToString() : ids.For(route.Template, p, c)),
            };
            foreach (var parameter in route.RouteParameters)
                // A NUL or control character cannot even be sent in a path: the server refuses the request line itself.
                foreach (var (_, value) in Hostile.Where(h => h.Value.Length < 10_000 && !h.Value.Any(char.IsControl)))
                    urls.Add(AppRoutes.Url(route, (p, c) => p == parameter ? value : ids.For(route.Template, p, c)));

            foreach (var url in urls.Distinct())
            {
                var sets = new List<(string What, Dictionary<string, string> Fields)>();
                foreach (var (name, value) in Hostile)
                {
                    // Other addresses of the route (an unknown id, a hostile path segment) once each, with every field empty.
                    if (url != urls[0] && name != "nothing") continue;
                    sets.Add(($"every field {name}", route.Fields.ToDictionary(f => f, _ => value)));
                    // Field by field, only the values that used to fail alone (kept few: the sweep must stay quick).
                    if (url != urls[0] || !SweptAlone.Contains(name)) continue;
                    foreach (var field in route.Fields)
                        sets.Add(($"{field} {name}", new() { [field] = value }));
                }
                if (!route.IsGet && route.Fields.Count > 0 && url == urls[0])
                    sets.Add(("10 MB", new() { [route.Fields[0]] = TenMegabytes }));

                foreach (var (what, fields) in sets)
                {
                    requests++;
                    var response = await SendAsync(session, route, url, fields);
                    if ((int)response.StatusCode >= 500)
                        failures.Add($"{route.Method} {url} with {what} as {(role == "" ? "anonymous" : role)}: {(int)response.StatusCode}");
                }
            }
        }

        failures.ShouldBeEmpty($"{failures.Count} of {requests} hostile requests ended in a server error:\n" + string.Join("\n", failures.Take(200)));
    }

    [Fact]
    public async Task Five_thousand_form_fields_are_refused_with_a_message()
    {
        var client = fixture.Client();
        var token = await client.AntiforgeryTokenAsync("/account/sign-in");
        var fields = Enumerable.Range(0, 5000).Select(i => new KeyValuePair<string, string>($"f{i}", "x"))
            .Append(new("__RequestVerificationToken", token));
        var response = await client.Http.PostAsync("/account/sign-in", new FormUrlEncodedContent(fields));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.PageAsync()).QuerySelector("h1")!.TextContent.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task A_ten_megabyte_form_field_is_answered_413_with_a_message()
    {
        var client = fixture.Client();
        var token = await client.AntiforgeryTokenAsync("/account/sign-in");
        var response = await client.Http.PostAsync("/account/sign-in", new FormUrlEncodedContent(
            [new("Email", TenMegabytes), new("Password", "x"), new("__RequestVerificationToken", token)]));

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        (await response.Content.ReadAsStringAsync()).ShouldContain("larger than the portal accepts");
    }

    [Fact]
    public async Task A_forty_megabyte_JSON_body_is_answered_413()
    {
        var officer = await fixture.SignedInAs(Scenarios.Officer);
        var token = await officer.AntiforgeryTokenAsync("/circulars/new");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/circulars/drafts")
        {
            Content = new StringContent("{\"title\":\"" + new string('z', 40 * 1024 * 1024) + "\"}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-CSRF-TOKEN", token);
        var response = await officer.Http.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task A_NUL_byte_in_a_form_cannot_even_be_read_and_is_a_400_with_a_message()
    {
        var client = fixture.Client();
        var response = await client.PostFormAsync("/account/sign-in", new() { ["Email"] = "nobody\0@x.example", ["Password"] = "whatever" });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.PageAsync()).Body!.TextContent.ShouldContain("invisible character");
    }

    [Fact]
    public async Task A_control_character_in_a_form_is_refused_on_the_same_form_with_the_text_kept()
    {
        var client = fixture.Client();
        var response = await client.PostFormAsync("/account/sign-in", new() { ["Email"] = "nobody\u0007@x.example", ["Password"] = "whatever" });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var page = await response.PageAsync();
        page.Errors().ShouldContain(Portal.Web.Infrastructure.Web.HostileInput.ControlCharacterMessage, page.Body!.TextContent);
        page.FieldValue("Password").ShouldBeNullOrEmpty();
        page.QuerySelector("form input[name=Email]").ShouldNotBeNull();
    }

    [Fact]
    public async Task A_NUL_byte_in_a_search_is_a_400_with_a_message()
    {
        var staff = await fixture.SignedInAs(Scenarios.Staff);
        var (response, page) = await staff.GetPageAsync("/circulars?q=%00");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        page.Body!.TextContent.ShouldContain("control character");
    }

    [Fact]
    public async Task A_NUL_byte_in_the_JSON_API_is_a_problem_details_400()
    {
        var officer = await fixture.SignedInAs(Scenarios.Officer);
        var token = await officer.AntiforgeryTokenAsync("/circulars/new");
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/circulars/drafts") { Content = JsonContent.Create(new { title = "a\0b" }) };
        request.Headers.Add("X-CSRF-TOKEN", token);
        var response = await officer.Http.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
    }

    [Theory]
    [InlineData("/inbox?page=2147483647")]
    [InlineData("/circulars?page=2147483647")]
    [InlineData("/circulars?page=-2147483648")]
    [InlineData("/circulars?page=99999999999999")]
    public async Task Paging_far_past_the_end_shows_a_page(string url)
    {
        var staff = await fixture.SignedInAs(Scenarios.Staff);
        (await staff.Http.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("/error/0", HttpStatusCode.NotFound)]
    [InlineData("/error/200", HttpStatusCode.NotFound)]
    [InlineData("/error/2147483647", HttpStatusCode.NotFound)]
    [InlineData("/error/999", HttpStatusCode.NotFound)]
    [InlineData("/error/404", HttpStatusCode.NotFound)]
    [InlineData("/error/429", HttpStatusCode.TooManyRequests)]
    public async Task The_error_page_answers_only_real_error_statuses(string url, HttpStatusCode expected)
    {
        var response = await fixture.Client().Http.GetAsync(url);
        response.StatusCode.ShouldBe(expected);
    }

    private static async Task<(PortalClient Client, string Token)> SessionAsync(PortalFixture fixture, string role)
    {
        var client = role == "" ? fixture.Client() : await fixture.SignedInAs(AppRoutes.Accounts[role]);
        var token = await client.AntiforgeryTokenAsync(role == "" ? "/account/sign-in" : "/account/two-factor-setup");
        return (client, token);
    }

    private static async Task<HttpResponseMessage> SendAsync((PortalClient Client, string Token) session, AppRoute route, string url,
        Dictionary<string, string> fields)
    {
        var http = session.Client.Http;
        if (route.IsGet)
        {
            var query = string.Join("&", fields.Where(f => f.Value.Length <= 10_000)
                .Select(f => $"{Uri.EscapeDataString(f.Key)}={Uri.EscapeDataString(f.Value)}"));
            return await http.GetAsync(query.Length == 0 ? url : url + "?" + query);
        }
        var request = new HttpRequestMessage(new HttpMethod(route.Method), url);
        if (route.JsonBody)
        {
            request.Content = JsonContent.Create(fields);
            request.Headers.Add("X-CSRF-TOKEN", session.Token);
        }
        else
        {
            request.Content = new FormUrlEncodedContent(fields.Append(new("__RequestVerificationToken", session.Token)));
        }
        return await http.SendAsync(request);
    }
}

/// <summary>The second part of <see cref="HostileInputTests.No_hostile_value_in_any_field_of_any_route_causes_a_server_error"/>.</summary>
public sealed class HostileInputSweep1Tests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    [Fact]
    public Task No_hostile_value_in_any_field_of_these_routes_causes_a_server_error() => HostileInputTests.SweepAsync(fixture, 1);
}

/// <summary>The third part of <see cref="HostileInputTests.No_hostile_value_in_any_field_of_any_route_causes_a_server_error"/>.</summary>
public sealed class HostileInputSweep2Tests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    [Fact]
    public Task No_hostile_value_in_any_field_of_these_routes_causes_a_server_error() => HostileInputTests.SweepAsync(fixture, 2);
}
