using Portal.Web.Domain;
using Portal.Web.Features.Devices;
using static Portal.Tests.Devices.DeviceScenarios;

namespace Portal.Tests.Devices;

/// <summary>The impact preview of a draft's rules: counted with the scan's own matching, and nothing written.</summary>
public sealed class DeviceImpactTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private const string Tac = "35711122";

    private Task ArrangeDeviceAsync(string unitCode, int serial, bool family = false, bool removed = false, string tac = Tac) => fixture.Db(async db =>
    {
        var staff = await db.StaffMembers.Where(s => s.Unit!.Code == unitCode && (!family || db.Dependents.Any(d => d.StaffMemberId == s.Id)))
            .OrderBy(s => s.Id).Select(s => s.Id).FirstAsync();
        Guid? dependent = family ? await db.Dependents.Where(d => d.StaffMemberId == staff).Select(d => d.Id).FirstAsync() : null;
        var imei = Imei(tac, serial);
        var catalogue = await DeviceCatalogue.LoadAsync(db, CancellationToken.None);
        var device = Device.Register(staff, dependent, imei, catalogue.Describe("Xiaomi", "Some phone", Imeis.Tac(imei), null),
            DeviceSource.SelfRegistered, fixture.Factory.Clock.GetUtcNow());
        if (removed)
            device.Remove("Sold", fixture.Factory.Clock.GetUtcNow());
        db.Devices.Add(device);
        await db.SaveChangesAsync();
        return true;
    });

    [Fact]
    public async Task The_rules_page_counts_the_devices_a_draft_would_flag_by_unit_and_family_and_writes_nothing()
    {
        var officer = await fixture.SignedInAs(Scenarios.Officer);
        var id = await fixture.DraftAsync(officer, "Impact of a TAC rule");
        var xiaomi = await fixture.ManufacturerIdAsync("Xiaomi");
        var (_, empty) = await officer.GetPageAsync($"/circulars/{id}/rules");
        empty.QuerySelector(".impact")!.TextContent.ShouldContain("Add a rule");

        await ArrangeDeviceAsync("SQ210", 1);
        await ArrangeDeviceAsync("SQ210", 2);
        await ArrangeDeviceAsync("SQ210", 3, family: true);
        await ArrangeDeviceAsync("SQ220", 4);
        await ArrangeDeviceAsync("SQ220", 5, removed: true);
        await ArrangeDeviceAsync("SQ220", 6, tac: "35711133");
        (await fixture.TransitionAsync(officer, id, "rules", new()
            { ["ManufacturerId"] = xiaomi!.Value.ToString(), ["TacPrefixes"] = Tac, ["Action"] = nameof(RuleAction.Banned) }))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var (_, page) = await officer.GetPageAsync($"/circulars/{id}/rules");
        page.QuerySelector(".impact-total")!.TextContent.ShouldBe("4 registered devices would be flagged, 1 of them family devices, in 2 units.");
        page.QuerySelector(".impact-actions")!.TextContent.ShouldContain("Banned: 4");
        var rows = page.QuerySelectorAll(".impact-units tbody tr").Select(r => r.TextContent).ToList();
        rows.Count.ShouldBe(2);
        rows[0].ShouldContain("(SQ210)");
        rows[0].ShouldContain("3");
        page.QuerySelector(".impact svg").ShouldNotBeNull();

        (await fixture.Db(db => db.ComplianceFindings.CountAsync(f => f.CircularId == id))).ShouldBe(0);
        (await fixture.Db(db => db.Database.SqlQuery<int>($"SELECT count(*)::int AS \"Value\" FROM device_rule_terms WHERE circular_id = {id}").SingleAsync())).ShouldBe(0);
        (await fixture.Db(db => db.Notifications.CountAsync(n => n.CircularId == id))).ShouldBe(0);
    }

    [Fact]
    public async Task The_approver_sees_the_preview_on_its_own_page_and_staff_and_unknown_circulars_do_not()
    {
        var officer = await fixture.SignedInAs(Scenarios.Officer);
        var id = await fixture.DraftAsync(officer, "Impact for the approver");
        await fixture.MakePublishableAsync(id);
        (await fixture.TransitionAsync(officer, id, "submit")).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var approver = await fixture.SignedInAs(Scenarios.Approver);
        var (details, circular) = await approver.GetPageAsync($"/circulars/{id}");
        circular.QuerySelector($"a[href='/circulars/{id}/impact']").ShouldNotBeNull();
        var (response, page) = await approver.GetPageAsync($"/circulars/{id}/impact");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        page.QuerySelector(".impact-total")!.TextContent.ShouldStartWith("0 registered devices would be flagged");

        (await approver.Http.GetAsync($"/circulars/{Guid.NewGuid()}/impact")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var staff = await fixture.SignedInAs(Scenarios.Staff);
        (await staff.Http.GetAsync($"/circulars/{id}/impact")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}
