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
    Guid StaffMember, Guid FamilyMember, Guid Rule, Guid AudienceUnit, Guid Source, int PublishedYear, string PublishedName,
    Guid ApiClient, Guid OtherApiClient, Guid VendorCase, Guid Device, Guid DeviceImport, Guid Evidence, long ComplianceFinding)
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
        await fixture.Db(async db => { await SeedAsync(db, fixture.Clock.GetUtcNow()); return 0; });
        return await fixture.Db(async db => await LoadAsync(db));
    }

    /// <summary>
    /// Objects the demo data does not hold, made once per database: the Xiaomi vendor's case on the published circular,
    /// a device of the staff member with a finding against the published circular, an uploaded (not yet imported) MDM file,
    /// and evidence the published revision cites (not shared with any vendor).
    /// </summary>
    private static async Task SeedAsync(Portal.Web.Data.PortalDbContext db, DateTimeOffset now)
    {
        var published = await db.Circulars.Where(c => c.Text.Title == Portal.Web.Data.DemoData.PublishedCircularTitle).SingleAsync();
        var officer = await db.Users.Where(u => u.Email == Scenarios.Officer).Select(u => u.Id).SingleAsync();
        if (!await db.VendorCases.AnyAsync(c => c.CircularId == published.Id))
        {
            var xiaomi = await db.VendorOrganisations.Where(v => v.Name == "Xiaomi").Select(v => v.Id).SingleAsync();
            var model = await db.DeviceModels.OrderBy(m => m.MarketingName).FirstAsync();
            db.VendorCases.Add(Portal.Web.Domain.VendorCase.Open(published.Id, xiaomi, 1, [(model.Id, model.MarketingName)], now, 14));
        }
        var staffUser = await db.Users.Where(u => u.Email == Scenarios.Staff).Select(u => u.Id).SingleAsync();
        var staffMember = await db.StaffMembers.Where(s => s.UserId == staffUser).Select(s => s.Id).SingleAsync();
        if (!await db.Devices.AnyAsync(d => d.StaffMemberId == staffMember && d.Tac == "35000009"))
        {
            const string fourteen = "35000009123456";
            db.Devices.Add(Portal.Web.Domain.Device.Register(staffMember, null, fourteen + Portal.Web.Domain.Imeis.CheckDigit(fourteen),
                new Portal.Web.Domain.DeviceDescription("Xiaomi", null, "Redmi 1S", null, null), Portal.Web.Domain.DeviceSource.SelfRegistered, now));
        }
        if (!await db.DeviceImports.AnyAsync(i => i.FileName == "swept.csv"))
            db.DeviceImports.Add(Portal.Web.Domain.DeviceImport.Upload(officer, "swept.csv",
                System.Text.Encoding.UTF8.GetBytes("imei,email\n"), new Dictionary<string, string>(), now));
        if (!await db.Evidence.AnyAsync(e => e.CircularId == published.Id && e.Title == "Swept evidence"))
        {
            var evidence = Portal.Web.Domain.EvidenceRecord.Record(published.Id, "Swept evidence", "Portal lab",
                DateOnly.FromDateTime(now.UtcDateTime), "Redmi 1S", null, null, officer, now);
            db.Evidence.Add(evidence);
            await db.SaveChangesAsync();
            await db.Database.ExecuteSqlAsync($"INSERT INTO cited_evidence (revision_id, evidence_id) VALUES ({published.CurrentRevisionId}, {evidence.Id})");
        }
        await db.SaveChangesAsync();
        if (!await db.ComplianceFindings.AnyAsync(f => f.CircularId == published.Id))
        {
            var device = await db.Devices.Where(d => d.StaffMemberId == staffMember && d.Tac == "35000009").Select(d => d.Id).FirstAsync();
            await db.Database.ExecuteSqlAsync($"INSERT INTO compliance_findings (device_id, circular_id, revision_number, rule_position, action, state, flagged_at) VALUES ({device}, {published.Id}, 1, 1, 'Banned', 'Flagged', {now})");
        }
    }

    private static async Task<DemoIds> LoadAsync(Portal.Web.Data.PortalDbContext db)
    {
        var published = await db.Circulars.Where(c => c.Text.Title == Portal.Web.Data.DemoData.PublishedCircularTitle).SingleAsync();
        var inReview = await db.Circulars.Where(c => c.Text.Title == Portal.Web.Data.DemoData.CircularAwaitingApprovalTitle).SingleAsync();
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
            reference.ToLowerInvariant().Replace('/', '_'),
            await db.ApiClients.Where(c => c.ClientId == "xiaomi-demo").Select(c => c.Id).SingleAsync(),
            await db.ApiClients.Where(c => c.ClientId == "mdm-demo").Select(c => c.Id).SingleAsync(),
            await db.VendorCases.Where(c => c.CircularId == published.Id).Select(c => c.Id).FirstAsync(),
            await db.Devices.Where(d => d.StaffMemberId == staffMember && d.Tac == "35000009").Select(d => d.Id).FirstAsync(),
            await db.DeviceImports.Where(i => i.FileName == "swept.csv").Select(i => i.Id).FirstAsync(),
            await db.Evidence.Where(e => e.CircularId == published.Id && e.Title == "Swept evidence").Select(e => e.Id).FirstAsync(),
            await db.ComplianceFindings.Where(f => f.CircularId == published.Id).Select(f => f.Id).FirstAsync());
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
        // Revoked: the demo MDM system's client (no vendor's), so Xiaomi's vendor administrator must not find it; rotated: Xiaomi's own.
        "id" when template.StartsWith("admin/api-clients", StringComparison.Ordinal) && template.EndsWith("/revoke", StringComparison.Ordinal) => OtherApiClient.ToString(),
        "id" when template.StartsWith("admin/api-clients", StringComparison.Ordinal) => ApiClient.ToString(),
        "id" when template.StartsWith("devices/compliance/findings", StringComparison.Ordinal) => ComplianceFinding.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "id" when template.StartsWith("vendor-cases", StringComparison.Ordinal) || template.StartsWith("api/v1/vendor/cases", StringComparison.Ordinal) => VendorCase.ToString(),
        "id" when template.StartsWith("devices/import", StringComparison.Ordinal) || template.StartsWith("api/v1/devices/imports", StringComparison.Ordinal) => DeviceImport.ToString(),
        "id" when template.StartsWith("devices/{", StringComparison.Ordinal) => Device.ToString(),
        "evidenceId" => Evidence.ToString(),
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
