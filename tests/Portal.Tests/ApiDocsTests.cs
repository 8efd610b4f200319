using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Portal.Web.Infrastructure.Auth;
using Portal.Web.Infrastructure.Oidc;

namespace Portal.Tests;

/// <summary>The OpenAPI document lists every /api/ route with the scope it needs; the reference page works offline.</summary>
public sealed partial class ApiDocsTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task The_openapi_document_lists_every_api_route_with_its_scope_and_the_oauth_flows()
    {
        using var http = fixture.Machine();
        var response = await http.GetAsync("/openapi/v1.json");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var paths = document.RootElement.GetProperty("paths");

        var routes = fixture.Portal.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => ApiDocs.IsApiPath(e.RoutePattern.RawText?.TrimStart('/')))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(method => (Path: "/" + Constraint().Replace(e.RoutePattern.RawText!.TrimStart('/'), "{$1}"), Method: method.ToLowerInvariant())))
            .Distinct().ToList();
        routes.ShouldNotBeEmpty();
        routes.ShouldContain(("/api/circulars/{id}", "get"));

        foreach (var (path, method) in routes)
        {
            paths.TryGetProperty(path, out var item).ShouldBeTrue($"{method} {path} is missing from /openapi/v1.json");
            item.TryGetProperty(method, out var operation).ShouldBeTrue($"{method} {path} is missing from /openapi/v1.json");
            var scopes = operation.TryGetProperty("security", out var security)
                ? security.EnumerateArray().SelectMany(r => r.EnumerateObject()).SelectMany(s => s.Value.EnumerateArray()).Select(s => s.GetString()!).ToList()
                : [];
            var description = operation.TryGetProperty("description", out var d) ? d.GetString() ?? "" : "";
            (scopes.Count > 0 || description.Contains("Signed-in people only", StringComparison.Ordinal))
                .ShouldBeTrue($"{method} {path} names neither a scope nor who may call it");
            scopes.ShouldAllBe(s => ApiScopes.All.Contains(s));
        }

        var read = paths.GetProperty("/api/circulars/{id}").GetProperty("get").GetProperty("security")[0].GetProperty("oauth2");
        read.EnumerateArray().Select(s => s.GetString()).ShouldBe([ApiScopes.CircularsRead]);

        var flows = document.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty("oauth2").GetProperty("flows");
        flows.GetProperty("clientCredentials").GetProperty("tokenUrl").GetString().ShouldBe($"{ApiFixture.Issuer}/connect/token");
        flows.GetProperty("authorizationCode").GetProperty("authorizationUrl").GetString().ShouldBe($"{ApiFixture.Issuer}/connect/authorize");
        foreach (var scope in ApiScopes.All)
            flows.GetProperty("clientCredentials").GetProperty("scopes").TryGetProperty(scope, out _).ShouldBeTrue(scope);
    }

    [Fact]
    public async Task The_reference_page_loads_its_script_from_the_portal_not_a_cdn()
    {
        using var http = fixture.Machine();
        var response = await http.GetAsync("/api/docs/");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        Console.WriteLine("SCALAR " + html);
        var sources = ScriptSource().Matches(html).Select(m => m.Groups[1].Value).ToList();
        sources.ShouldNotBeEmpty();
        foreach (var source in sources)
        {
            source.ShouldNotContain("//");
            var url = source.StartsWith('/') ? source : "/api/docs/" + source;
            (await http.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.OK, url);
        }
        html.ShouldNotContain("cdn.jsdelivr.net");
        html.ShouldNotContain("fonts.scalar.com");
    }

    [GeneratedRegex(@"\{(\w+):[^}]+\}")]
    private static partial Regex Constraint();

    [GeneratedRegex("<script[^>]*\\ssrc=\"([^\"]+)\"")]
    private static partial Regex ScriptSource();
}
