using Portal.Web.Data;
using Portal.Web.Domain;

namespace Portal.Tests.Support;

/// <summary>
/// Arranges circulars the way people do: drafting and transitions go through the same HTTP forms the
/// pages post. Rules and audience are arranged on the entity (the intent methods the rule forms call).
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

    public static Dictionary<string, string> DraftFields(string title, TlpLabel tlp = TlpLabel.Clear, bool families = false) => new()
    {
        ["IncludeFamilies"] = families ? "true" : "false",
        ["FamilySummary"] = families ? "Please do not use a Model X phone. It sends your contacts and messages abroad." : "",
        ["Title"] = title,
        ["Severity"] = "High",
        ["Tlp"] = tlp.ToString(),
        ["AcknowledgementDeadline"] = DateTime.UtcNow.AddDays(14).ToString("yyyy-MM-dd"),
        ["Summary"] = "Do not use the **Model X**: a lab found it sending contacts, SMS and the IMEI abroad.",
        ["Background"] = "CERT input received.",
        ["RiskAssessment"] = "Personal data of staff and contacts leaves the country.",
        ["Impact"] = "Exposure of staff identities.",
        ["RequiredActions"] = "Stop using the phone for any official purpose.",
        ["References"] = "CERT advisory 2026-001",
    };

    public static async Task<Guid> DraftAsync(this PortalFixture fixture, PortalClient officer, string title, TlpLabel tlp = TlpLabel.Clear, bool families = false)
    {
        var response = await officer.PostFormAsync("/circulars/new", DraftFields(title, tlp, families));
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        return Guid.Parse(response.Headers.Location!.OriginalString.Split('/').Last());
    }

    /// <summary>Adds a Banned rule for a scenario model and the audience unit, so the draft can be submitted.</summary>
    public static Task MakePublishableAsync(this PortalFixture fixture, Guid id, string audienceUnitCode = "AC", string? modelName = null) =>
        fixture.Db(async db =>
        {
            var now = DateTimeOffset.UtcNow;
            var officer = await db.Users.SingleAsync(u => u.Email == Officer);
            var manufacturer = await db.Manufacturers.SingleOrDefaultAsync(m => m.Name == TestManufacturer);
            if (manufacturer is null)
            {
                manufacturer = Manufacturer.Create(TestManufacturer, ["SP"], null, now);
                db.Manufacturers.Add(manufacturer);
            }
            var name = modelName ?? "Model X " + id.ToString("N")[^8..];
            var model = DeviceModel.Create(manufacturer.Id, name, ["SPX-" + id.ToString("N")[^8..]], [], now);
            db.DeviceModels.Add(model);
            var circular = await db.Circulars.Include(c => c.Rules).Include(c => c.Audience).SingleAsync(c => c.Id == id);
            circular.AddRule(manufacturer.Id, model.Id, null, [], null, RuleAction.Banned, null, officer.Id, now);
            var unit = await db.Units.SingleAsync(u => u.Code == audienceUnitCode);
            circular.AddAudienceUnit(unit.Id, officer.Id, now);
            await db.SaveChangesAsync();
            return true;
        });

    public static Task<uint> VersionAsync(this PortalFixture fixture, Guid id) =>
        fixture.Db(db => db.Circulars.Where(c => c.Id == id).Select(c => c.Version).SingleAsync());

    /// <summary>Posts one of the workflow forms of the circular's page, with the version the page showed.</summary>
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
