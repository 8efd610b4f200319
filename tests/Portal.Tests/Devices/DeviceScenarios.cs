using Portal.Web.Domain;

namespace Portal.Tests.Devices;

public static class DeviceScenarios
{
    /// <summary>A valid IMEI with the given TAC: six serial digits and the Luhn check digit.</summary>
    public static string Imei(string tac, int serial)
    {
        var fourteen = tac + serial.ToString("000000", System.Globalization.CultureInfo.InvariantCulture);
        return fourteen + Imeis.CheckDigit(fourteen);
    }

    public static Dictionary<string, string> Phone(string imei, string manufacturer, string model, string? os = null, string owner = "") => new()
    {
        ["Imei"] = imei, ["Manufacturer"] = manufacturer, ["Model"] = model, ["OsVersion"] = os ?? "", ["Owner"] = owner,
    };

    public static async Task<Guid> RegisterAsync(this PortalFixture fixture, PortalClient staff, Dictionary<string, string> phone)
    {
        var response = await staff.PostFormAsync("/devices", phone);
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        var imei = Imeis.Normalise(phone["Imei"], out _);
        return await fixture.Db(db => db.Devices.Where(d => d.Imei == imei && d.RemovedAt == null).Select(d => d.Id).SingleAsync());
    }

    public static Task<List<ComplianceFinding>> FindingsAsync(this PortalFixture fixture, Guid deviceId) =>
        fixture.Db(db => db.ComplianceFindings.Where(f => f.DeviceId == deviceId).OrderBy(f => f.Id).ToListAsync());

    /// <summary>Publishes a circular whose one rule the officer posts on the rules form (manufacturer by name).</summary>
    public static async Task<Guid> PublishedWithRuleAsync(this PortalFixture fixture, string title, string manufacturer, Dictionary<string, string> rule)
    {
        var officer = await fixture.SignedInAs(Scenarios.Officer);
        var approver = await fixture.SignedInAs(Scenarios.Approver);
        var id = await fixture.DraftAsync(officer, title);
        var manufacturerId = await fixture.ManufacturerIdAsync(manufacturer);
        var fields = new Dictionary<string, string>(rule) { ["ManufacturerId"] = manufacturerId!.Value.ToString() };
        var added = await fixture.TransitionAsync(officer, id, "rules", fields);
        added.StatusCode.ShouldBe(HttpStatusCode.Redirect, await added.Content.ReadAsStringAsync());
        var unitId = await fixture.Db(db => db.Units.Where(u => u.Code == "AC").Select(u => u.Id).SingleAsync());
        (await fixture.TransitionAsync(officer, id, "audience", new() { ["UnitId"] = unitId.ToString() })).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await fixture.TransitionAsync(officer, id, "submit")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var approved = await fixture.TransitionAsync(approver, id, "approve");
        approved.StatusCode.ShouldBe(HttpStatusCode.Redirect, await approved.Content.ReadAsStringAsync());
        return id;
    }
}
