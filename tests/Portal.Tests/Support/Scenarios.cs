using System.Globalization;
using Portal.Web.Data;
using Portal.Web.Domain;

namespace Portal.Tests.Support;

/// <summary>
/// Arranges circulars the way people do: drafting, the catalogue, rules, audience and transitions go
/// through the same HTTP forms the pages post.
/// </summary>
public static class Scenarios
{
    public const string Officer = "officer@portal.example";
    public const string Approver = "approver@portal.example";
    public const string Staff = "staff@portal.example";
    public const string Commander = "commander@portal.example";
    public const string Auditor = "auditor@portal.example";
    public const string Vendor = "vendor@xiaomi.example";
    public const string TestManufacturer = "Scenario Phones";

    /// <summary>A draft's fields; the deadline is 14 days after the test clock's date.</summary>
    public static Dictionary<string, string> DraftFields(TimeProvider clock, string title, TlpLabel tlp = TlpLabel.Clear, bool families = false) => new()
    {
        ["IncludeFamilies"] = families ? "true" : "false",
        ["FamilySummary"] = families ? "Please do not use a Model X phone. It sends your contacts and messages abroad." : "",
        ["Title"] = title,
        ["Severity"] = "High",
        ["Tlp"] = tlp.ToString(),
        ["AcknowledgementDeadline"] = clock.GetUtcNow().UtcDateTime.AddDays(14).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["Summary"] = "Do not use the **Model X**: a lab found it sending contacts, SMS and the IMEI abroad.",
        ["Background"] = "CERT input received.",
        ["RiskAssessment"] = "Personal data of staff and contacts leaves the country.",
        ["Impact"] = "Exposure of staff identities.",
        ["RequiredActions"] = "Stop using the phone for any official purpose.",
        ["References"] = "CERT advisory 2026-001",
    };

    public static async Task<Guid> DraftAsync(this PortalFixture fixture, PortalClient officer, string title, TlpLabel tlp = TlpLabel.Clear, bool families = false)
    {
        var response = await officer.PostFormAsync("/circulars/new", DraftFields(fixture.Clock, title, tlp, families));
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        return Guid.Parse(response.Headers.Location!.OriginalString.Split('/').Last());
    }

    /// <summary>
    /// Adds a Banned rule for a scenario model and the audience unit, so the draft can be submitted: the officer
    /// posts the catalogue, rules and audience forms, as on the pages.
    /// </summary>
    public static async Task MakePublishableAsync(this PortalFixture fixture, Guid id, string audienceUnitCode = "AC", string? modelName = null)
    {
        var officer = await fixture.SignedInAs(Officer);
        var manufacturerId = await fixture.ManufacturerIdAsync(TestManufacturer);
        if (manufacturerId is null)
        {
            var created = await officer.PostFormAsync("/catalogue/manufacturers/new", new() { ["Name"] = TestManufacturer, ["Aliases"] = "SP" });
            created.StatusCode.ShouldBe(HttpStatusCode.Redirect, await created.Content.ReadAsStringAsync());
            manufacturerId = await fixture.ManufacturerIdAsync(TestManufacturer);
        }
        var name = modelName ?? "Model X " + id.ToString("N")[^8..];
        var modelId = await fixture.ModelIdAsync(TestManufacturer, name);
        if (modelId is null)
        {
            var created = await officer.PostFormAsync("/catalogue/models/new", new()
                { ["ManufacturerId"] = manufacturerId!.Value.ToString(), ["MarketingName"] = name, ["ModelNumbers"] = "SPX-" + id.ToString("N")[^8..] });
            created.StatusCode.ShouldBe(HttpStatusCode.Redirect, await created.Content.ReadAsStringAsync());
            modelId = await fixture.ModelIdAsync(TestManufacturer, name);
        }

        var rule = await fixture.TransitionAsync(officer, id, "rules", new()
            { ["ManufacturerId"] = manufacturerId!.Value.ToString(), ["DeviceModelId"] = modelId!.Value.ToString(), ["Action"] = nameof(RuleAction.Banned) });
        rule.StatusCode.ShouldBe(HttpStatusCode.Redirect, await rule.Content.ReadAsStringAsync());
        var unitId = await fixture.Db(db => db.Units.Where(u => u.Code == audienceUnitCode).Select(u => u.Id).SingleAsync());
        var audience = await fixture.TransitionAsync(officer, id, "audience", new() { ["UnitId"] = unitId.ToString() });
        audience.StatusCode.ShouldBe(HttpStatusCode.Redirect, await audience.Content.ReadAsStringAsync());
    }

    public static Task<Guid?> ManufacturerIdAsync(this PortalFixture fixture, string name) =>
        fixture.Db(db => db.Manufacturers.Where(m => m.Name == name).Select(m => (Guid?)m.Id).SingleOrDefaultAsync());

    public static Task<Guid?> ModelIdAsync(this PortalFixture fixture, string manufacturer, string model) =>
        fixture.Db(db => db.DeviceModels
            .Where(m => m.MarketingName == model && db.Manufacturers.Any(x => x.Id == m.ManufacturerId && x.Name == manufacturer))
            .Select(m => (Guid?)m.Id).SingleOrDefaultAsync());

    public static Task<uint> VersionAsync(this PortalFixture fixture, Guid id) =>
        fixture.Db(db => db.Circulars.Where(c => c.Id == id).Select(c => c.Version).SingleAsync());

    /// <summary>
    /// Posts one of the forms of the circular's pages ("submit", "rules", "audience/{unit}/remove" ...) with the
    /// version the page showed (the current one unless given).
    /// </summary>
    public static async Task<HttpResponseMessage> TransitionAsync(this PortalFixture fixture, PortalClient client, Guid id, string verb,
        Dictionary<string, string>? fields = null, uint? version = null)
    {
        var body = new Dictionary<string, string>(fields ?? []) { ["Version"] = (version ?? await fixture.VersionAsync(id)).ToString() };
        return await client.PostFormAsync($"/circulars/{id}/{verb}", body, $"/circulars/{id}");
    }

    /// <summary>Drafted by the officer, submitted, approved by the approver: published revision 1.</summary>
    public static async Task<Guid> PublishedCircularAsync(this PortalFixture fixture, string title, TlpLabel tlp = TlpLabel.Clear, string audienceUnitCode = "AC", bool families = false)
    {
        var officer = await fixture.SignedInAs(Officer);
        var approver = await fixture.SignedInAs(Approver);
        var id = await fixture.DraftAsync(officer, title, tlp, families);
        await fixture.MakePublishableAsync(id, audienceUnitCode);
        (await fixture.TransitionAsync(officer, id, "submit")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var approved = await fixture.TransitionAsync(approver, id, "approve");
        approved.StatusCode.ShouldBe(HttpStatusCode.Redirect, await approved.Content.ReadAsStringAsync());
        return id;
    }
}
