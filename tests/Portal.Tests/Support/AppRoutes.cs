using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Routing;
using Portal.Web.Domain;

namespace Portal.Tests.Support;

/// <summary>One route of the app as its own endpoint metadata describes it: method, template, roles and bound fields.</summary>
public sealed record AppRoute(string Method, string Template, ControllerActionDescriptor Action, IReadOnlyList<string> Fields,
    bool JsonBody, bool Anonymous, IReadOnlyList<IReadOnlyList<string>> RoleSets)
{
    /// <summary>"GET circulars/{id:guid}": how the access matrix names a route.</summary>
    public string Key => $"{Method} {Template}";

    public bool IsGet => Method == "GET";

    /// <summary>Every set of [Authorize(Roles)] must name one of the user's roles.</summary>
    public bool Allows(string role) => RoleSets.All(set => set.Contains(role));

    public IEnumerable<string> RouteParameters => Regex.Matches(Template, @"\{([^}:?]+)[^}]*\}").Select(m => m.Groups[1].Value);
}

/// <summary>
/// The app's routes, discovered from its own <see cref="EndpointDataSource"/> and model metadata, so a route
/// or a form field added tomorrow is swept and checked without anyone listing it here.
/// </summary>
public static class AppRoutes
{
    public static IReadOnlyList<AppRoute> Discover(IServiceProvider services)
    {
        var endpoints = services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();
        var metadata = services.GetRequiredService<IModelMetadataProvider>();
        var routes = new List<AppRoute>();
        foreach (var endpoint in endpoints)
        {
            if (endpoint.Metadata.GetMetadata<ControllerActionDescriptor>() is not { } action) continue;
            var template = endpoint.RoutePattern.RawText!.Trim('/');
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET", "POST"];
            var roleSets = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>()
                .Where(a => !string.IsNullOrEmpty(a.Roles))
                .Select(a => (IReadOnlyList<string>)a.Roles!.Split(',', StringSplitOptions.TrimEntries)).ToList();
            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            var (fields, json) = FieldsOf(action, metadata, template);
            foreach (var method in methods)
                routes.Add(new AppRoute(method, template, action, fields, json, anonymous, roleSets));
        }
        return routes.OrderBy(r => r.Template, StringComparer.Ordinal).ThenBy(r => r.Method, StringComparer.Ordinal).ToList();
    }

    private static (IReadOnlyList<string> Fields, bool Json) FieldsOf(ActionDescriptor action, IModelMetadataProvider provider, string template)
    {
        var fields = new List<string>();
        var json = false;
        foreach (var parameter in action.Parameters)
        {
            var type = parameter.ParameterType;
            if (type == typeof(CancellationToken) || parameter.BindingInfo?.BindingSource == BindingSource.Services) continue;
            if (template.Contains("{" + parameter.Name, StringComparison.OrdinalIgnoreCase)) continue;
            var metadata = provider.GetMetadataForType(type);
            if (parameter.BindingInfo?.BindingSource == BindingSource.Body) json = true;
            if (!metadata.IsComplexType || metadata.IsEnumerableType)
            {
                fields.Add(parameter.BindingInfo?.BinderModelName ?? parameter.Name);
                continue;
            }
            foreach (var property in metadata.Properties)
            {
                if (property.IsReadOnly && !property.IsEnumerableType) continue;
                if (!property.IsBindingAllowed || property.BindingSource == BindingSource.Services) continue;
                if (property.ModelType == typeof(System.Security.Claims.ClaimsPrincipal)) continue;
                if (template.Contains("{" + property.Name, StringComparison.OrdinalIgnoreCase)) continue;
                fields.Add(property.BinderModelName ?? property.Name!);
            }
        }
        return (fields.Distinct(StringComparer.OrdinalIgnoreCase).ToList(), json);
    }

    /// <summary>A URL for the route, with each parameter taken from <paramref name="value"/> (escaped).</summary>
    public static string Url(AppRoute route, Func<string, string, string> value) =>
        "/" + Regex.Replace(route.Template, @"\{([^}:?]+)([^}]*)\}", m => Uri.EscapeDataString(value(m.Groups[1].Value, m.Groups[2].Value)));

    /// <summary>The demo account that holds each role.</summary>
    public static readonly IReadOnlyDictionary<string, string> Accounts = new Dictionary<string, string>
    {
        [Roles.Administrator] = "admin@portal.example",
        [Roles.SecurityOfficer] = Scenarios.Officer,
        [Roles.Approver] = Scenarios.Approver,
        [Roles.UnitCommander] = Scenarios.Commander,
        [Roles.Staff] = Scenarios.Staff,
        [Roles.Vendor] = Scenarios.Vendor,
        [Roles.Auditor] = Scenarios.Auditor,
    };
}

/// <summary>Real ids of the demo organisation, for filling route parameters.</summary>
public sealed record DemoIds(Guid PublishedCircular, Guid CircularInReview, Guid StaffUser, Guid OtherUser, Guid Unit, Guid Manufacturer, Guid Model,
    Guid StaffMember, Guid FamilyMember, Guid Rule, Guid AudienceUnit, Guid Source, int PublishedYear, string PublishedName)
{
    public static async Task<DemoIds> LoadAsync(PortalFixture fixture)
    {
        await using (var scope = fixture.Factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Portal.Web.Domain.PortalUser>>();
            if (await users.FindByEmailAsync("swept@portal.example") is null)
                (await users.CreateAsync(new Portal.Web.Domain.PortalUser { UserName = "swept@portal.example", Email = "swept@portal.example", DisplayName = "Swept" },
                    "Swept-Account-2026")).Succeeded.ShouldBeTrue();
        }
        return await fixture.Db(async db => await LoadAsync(db));
    }

    private static async Task<DemoIds> LoadAsync(Portal.Web.Data.PortalDbContext db)
    {
        var published = await db.Circulars.Where(c => c.Title == Portal.Web.Data.DemoData.PublishedCircularTitle).SingleAsync();
        var inReview = await db.Circulars.Where(c => c.Title == Portal.Web.Data.DemoData.CircularAwaitingApprovalTitle).SingleAsync();
        var staffUser = await db.Users.Where(u => u.Email == Scenarios.Staff).Select(u => u.Id).SingleAsync();
        var staffMember = await db.StaffMembers.Where(s => s.UserId == staffUser).Select(s => s.Id).SingleAsync();
        var other = await db.Users.Where(u => u.Email == "swept@portal.example").Select(u => u.Id).SingleAsync();
        var reference = published.ReferenceNumber!;
        return new DemoIds(
            published.Id, inReview.Id, staffUser, other,
            await db.Units.OrderBy(u => u.Code).Select(u => u.Id).LastAsync(),
            await db.Manufacturers.OrderBy(m => m.Name).Select(m => m.Id).FirstAsync(),
            await db.DeviceModels.OrderBy(m => m.MarketingName).Select(m => m.Id).FirstAsync(),
            staffMember,
            await db.Dependents.Where(d => d.StaffMemberId == staffMember).OrderBy(d => d.FullName).Select(d => d.Id).FirstAsync(),
            await db.CircularRules.Where(r => r.CircularId == inReview.Id).Select(r => r.Id).FirstAsync(),
            await db.CircularAudienceUnits.Where(a => a.CircularId == inReview.Id).Select(a => a.UnitId).FirstAsync(),
            await db.CircularSources.Where(s => s.CircularId == inReview.Id).Select(s => s.Id).FirstOrDefaultAsync(),
            int.Parse(reference.Split('/')[^2], System.Globalization.CultureInfo.InvariantCulture),
            reference.ToLowerInvariant().Replace('/', '_'));
    }

    /// <summary>A value for a route parameter: ids of things that exist (the published circular for circulars, unless <paramref name="draft"/>).</summary>
    public string For(string template, string parameter, string constraint, bool draft = false) => parameter switch
    {
        "id" when template.StartsWith("circulars", StringComparison.Ordinal) || template.StartsWith("api/circulars", StringComparison.Ordinal)
            => (draft ? CircularInReview : PublishedCircular).ToString(),
        "id" when template.StartsWith("admin/users", StringComparison.Ordinal) => OtherUser.ToString(),
        "id" when template.StartsWith("admin/units", StringComparison.Ordinal) => Unit.ToString(),
        "id" when template.StartsWith("catalogue/manufacturers", StringComparison.Ordinal) => Manufacturer.ToString(),
        "id" when template.StartsWith("catalogue/models", StringComparison.Ordinal) => Model.ToString(),
        "id" when template.Contains("family-members", StringComparison.Ordinal) => FamilyMember.ToString(),
        "staffMemberId" => StaffMember.ToString(),
        "ruleId" => Rule.ToString(),
        "unitId" => AudienceUnit.ToString(),
        "sourceId" => Source.ToString(),
        "number" => "1",
        "year" => PublishedYear.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "name" => PublishedName,
        "status" => "404",
        "token" => "not-a-token",
        _ when constraint.Contains("guid", StringComparison.Ordinal) => Guid.NewGuid().ToString(),
        _ when constraint.Contains("int", StringComparison.Ordinal) || constraint.Contains("long", StringComparison.Ordinal) => "1",
        _ => "x",
    };
}
