using Portal.Web.Domain;
using static Portal.Tests.Devices.DeviceScenarios;

namespace Portal.Tests.Devices;

/// <summary>Findings follow a circular's end and catalogue changes at once, without waiting for the periodic scan.</summary>
public sealed class DeviceRescanTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task Withdrawing_or_superseding_a_circular_resolves_its_findings_at_once()
    {
        var staff = await fixture.SignedInAs(Scenarios.Staff);
        var officer = await fixture.SignedInAs(Scenarios.Officer);
        var withdrawn = await fixture.PublishedWithRuleAsync("Galaxy S5 ban", "Samsung", new() { ["TacPrefixes"] = "352268", ["Action"] = "Banned" });
        var superseded = await fixture.PublishedWithRuleAsync("Galaxy Grand ban", "Samsung", new() { ["TacPrefixes"] = "358866", ["Action"] = "Banned" });
        var replacement = await fixture.PublishedWithRuleAsync("Samsung phones watched", "Samsung", new() { ["EveryModel"] = "true", ["Action"] = "Monitor" });
        var s5 = await fixture.RegisterAsync(staff, Phone(Imei("35226806", 31), "Samsung", "Galaxy S5"));
        var grand = await fixture.RegisterAsync(staff, Phone(Imei("35886605", 32), "Samsung", "Galaxy Grand 2"));
        (await fixture.FindingsAsync(s5)).Single(f => f.CircularId == withdrawn).State.ShouldBe(FindingState.Flagged);

        (await fixture.TransitionAsync(officer, withdrawn, "withdraw", new() { ["Reason"] = "The lab retracted its finding." }))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var reference = await fixture.Db(db => db.Circulars.Where(c => c.Id == replacement).Select(c => c.ReferenceNumber).SingleAsync());
        (await fixture.TransitionAsync(officer, superseded, "supersede", new() { ["ReplacementReference"] = reference!, ["Reason"] = "Broader advice." }))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var ended = (await fixture.FindingsAsync(s5)).Single(f => f.CircularId == withdrawn);
        ended.State.ShouldBe(FindingState.Remediated);
        ended.Resolution.ShouldBe("Circular withdrawn");
        (await fixture.FindingsAsync(grand)).Single(f => f.CircularId == superseded).Resolution.ShouldBe("Circular superseded");
        (await fixture.FindingsAsync(grand)).Single(f => f.CircularId == replacement).State.ShouldBe(FindingState.Flagged);
    }

    [Fact]
    public async Task A_new_alias_or_TAC_in_the_catalogue_resolves_registered_devices_again_and_flags_them()
    {
        var officer = await fixture.SignedInAs(Scenarios.Officer);
        var staff = await fixture.SignedInAs(Scenarios.Staff);
        (await officer.PostFormAsync("/catalogue/manufacturers/new", new() { ["Name"] = "Fonekraft", ["Aliases"] = "" })).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var fonekraft = (await fixture.ManufacturerIdAsync("Fonekraft"))!.Value;
        (await officer.PostFormAsync("/catalogue/models/new", new() { ["ManufacturerId"] = fonekraft.ToString(), ["MarketingName"] = "FK Two", ["ModelNumbers"] = "FK-2" }))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var fkTwo = (await fixture.ModelIdAsync("Fonekraft", "FK Two"))!.Value;
        var everything = await fixture.PublishedWithRuleAsync("Fonekraft banned", "Fonekraft", new() { ["EveryModel"] = "true", ["Action"] = "Banned" });
        var byModel = await fixture.PublishedWithRuleAsync("FK Two restricted", "Fonekraft", new() { ["DeviceModelId"] = fkTwo.ToString(), ["Action"] = "Restricted" });

        var zentrix = await fixture.RegisterAsync(staff, Phone(Imei("35999902", 41), "Zentrix Inc.", "ZX 1"));
        var unnamed = await fixture.RegisterAsync(staff, Phone(Imei("35999903", 42), "Fonekraft", "Phone"));
        (await fixture.FindingsAsync(zentrix)).ShouldBeEmpty();
        (await fixture.FindingsAsync(unnamed)).Select(f => f.CircularId).ShouldBe([everything]);

        (await officer.PostFormAsync($"/catalogue/manufacturers/{fonekraft}", new() { ["Name"] = "Fonekraft", ["Aliases"] = "Zentrix" }, $"/catalogue/manufacturers/{fonekraft}"))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await fixture.Db(db => db.Devices.Where(d => d.Id == zentrix).Select(d => d.ManufacturerId).SingleAsync())).ShouldBe(fonekraft);
        (await fixture.FindingsAsync(zentrix)).Single().CircularId.ShouldBe(everything);

        (await officer.PostFormAsync($"/catalogue/models/{fkTwo}", new()
            { ["ManufacturerId"] = fonekraft.ToString(), ["MarketingName"] = "FK Two", ["ModelNumbers"] = "FK-2", ["Tacs"] = "35999903" }, $"/catalogue/models/{fkTwo}"))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await fixture.Db(db => db.Devices.Where(d => d.Id == unnamed).Select(d => d.DeviceModelId).SingleAsync())).ShouldBe(fkTwo);
        (await fixture.FindingsAsync(unnamed)).Select(f => f.CircularId).ShouldBe([everything, byModel], ignoreOrder: true);
    }
}
