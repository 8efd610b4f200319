using Portal.Web.Domain;
using Portal.Web.Features.Devices;
using static Portal.Tests.Devices.DeviceScenarios;

namespace Portal.Tests.Devices;

/// <summary>Compliance across units, exemptions and their expiry, and the nightly scan.</summary>
public sealed class DeviceComplianceTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private async Task<Guid> DeviceInWingTwoAsync(string imei)
    {
        var staffId = await fixture.Db(db => db.StaffMembers.Where(s => s.Unit!.Code == "SQ210").Select(s => s.Id).FirstAsync());
        return await fixture.Db(async db =>
        {
            var catalogue = await DeviceCatalogue.LoadAsync(db, CancellationToken.None);
            var device = Device.Register(staffId, null, imei, catalogue.Describe("Xiaomi", "Redmi 1S", Imeis.Tac(imei), null), DeviceSource.SelfRegistered, fixture.Clock.GetUtcNow());
            db.Devices.Add(device);
            await db.SaveChangesAsync();
            return device.Id;
        });
    }

    [Fact]
    public async Task A_commander_sees_only_their_units_devices_with_masked_IMEIs_and_the_officer_sees_all_in_full()
    {
        var staff = await fixture.SignedInAs(Scenarios.Staff);
        var mine = Imei("86439602", 11);
        await fixture.RegisterAsync(staff, Phone(mine, "Xiaomi", "Redmi 1S"));
        var elsewhere = Imei("86439602", 12);
        await DeviceInWingTwoAsync(elsewhere);
        await fixture.SendAsync(new ScanDue.Command());

        var commander = await fixture.SignedInAs(Scenarios.Commander);
        var (_, page) = await commander.GetPageAsync("/devices/compliance?status=Flagged");
        var text = page.QuerySelector("table.devices")!.TextContent;
        text.ShouldContain(Imeis.Mask(mine));
        text.ShouldNotContain(mine);
        text.ShouldNotContain(elsewhere[^4..] + "\n");
        page.QuerySelectorAll("table.devices tbody tr").Count.ShouldBe(1);
        page.QuerySelector("svg")!.ShouldNotBeNull();
        (await commander.Http.GetAsync("/devices/compliance?unit=SQ210")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var commanderCsv = await (await commander.Http.GetAsync("/devices/compliance/devices.csv")).Content.ReadAsStringAsync();
        commanderCsv.ShouldNotContain(mine);

        var officer = await fixture.SignedInAs(Scenarios.Officer);
        var csv = await (await officer.Http.GetAsync("/devices/compliance/devices.csv?status=Flagged")).Content.ReadAsStringAsync();
        csv.ShouldContain(mine);
        csv.ShouldContain(elsewhere);
    }

    [Fact]
    public async Task An_approved_exemption_ends_at_its_date_the_device_is_flagged_again_and_the_commander_told()
    {
        var staff = await fixture.SignedInAs(Scenarios.Staff);
        var id = await fixture.RegisterAsync(staff, Phone(Imei("86439602", 21), "Xiaomi", "Redmi 1S"));
        var finding = (await fixture.FindingsAsync(id)).ShouldHaveSingleItem();
        var commander = await fixture.SignedInAs(Scenarios.Commander);
        var until = DateOnly.FromDateTime(fixture.Factory.Clock.GetUtcNow().UtcDateTime).AddDays(10);

        var requested = await commander.PostFormAsync($"/devices/compliance/findings/{finding.Id}/exemption",
            new() { ["Reason"] = "Replacement handsets arrive next week.", ["Until"] = until.ToString("yyyy-MM-dd") }, "/devices/compliance");
        requested.StatusCode.ShouldBe(HttpStatusCode.Redirect, await requested.Content.ReadAsStringAsync());
        var officer = await fixture.SignedInAs(Scenarios.Officer);
        var decided = await officer.PostFormAsync($"/devices/compliance/findings/{finding.Id}/decision", new() { ["Approve"] = "true" }, "/devices/compliance");
        decided.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await fixture.FindingsAsync(id)).Single().State.ShouldBe(FindingState.Exempted);

        await fixture.SendAsync(new ScanDue.Command());
        (await fixture.FindingsAsync(id)).Single().State.ShouldBe(FindingState.Exempted, "the scan keeps an exemption in force");

        fixture.Factory.Clock.Advance(TimeSpan.FromDays(11));
        var result = await fixture.SendAsync(new ScanDue.Command());

        result.ExemptionsEnded.ShouldBe(1);
        var after = (await fixture.FindingsAsync(id)).Single();
        after.State.ShouldBe(FindingState.Flagged);
        after.ExemptionState.ShouldBe(ExemptionState.Expired);
        var commanderId = await fixture.Db(db => db.Users.Where(u => u.Email == Scenarios.Commander).Select(u => u.Id).SingleAsync());
        (await fixture.Db(db => db.Notifications.CountAsync(n => n.Purpose == NotificationPurpose.ExemptionExpired && n.UserId == commanderId))).ShouldBe(1);
    }

    [Fact]
    public async Task An_exemption_needs_a_reason_and_a_future_date_and_a_commander_cannot_touch_another_units_finding()
    {
        var staff = await fixture.SignedInAs(Scenarios.Staff);
        var id = await fixture.RegisterAsync(staff, Phone(Imei("86439602", 31), "Xiaomi", "Redmi 1S"));
        var finding = (await fixture.FindingsAsync(id)).Single();
        var commander = await fixture.SignedInAs(Scenarios.Commander);

        var refused = await commander.PostFormAsync($"/devices/compliance/findings/{finding.Id}/exemption",
            new() { ["Reason"] = "", ["Until"] = "2001-01-01" }, "/devices/compliance");
        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await refused.PageAsync()).Errors().Count.ShouldBe(2);

        var other = await DeviceInWingTwoAsync(Imei("86439602", 32));
        await fixture.SendAsync(new ScanDue.Command());
        var otherFinding = (await fixture.FindingsAsync(other)).Single();
        var foreign = await commander.PostFormAsync($"/devices/compliance/findings/{otherFinding.Id}/exemption",
            new() { ["Reason"] = "x", ["Until"] = DateOnly.FromDateTime(fixture.Factory.Clock.GetUtcNow().UtcDateTime).AddDays(5).ToString("yyyy-MM-dd") }, "/devices/compliance");
        foreign.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await staff.Http.GetAsync("/devices/compliance")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_nightly_scan_resolves_findings_of_a_withdrawn_circular()
    {
        var staff = await fixture.SignedInAs(Scenarios.Staff);
        var id = await fixture.RegisterAsync(staff, Phone(Imei("66123456", 41), "Nobody Knows", "Phone"));
        var circular = await fixture.PublishedWithRuleAsync("Withdrawn later", "Xiaomi", new() { ["TacPrefixes"] = "661234", ["Action"] = nameof(RuleAction.Banned) });
        (await fixture.FindingsAsync(id)).ShouldHaveSingleItem().State.ShouldBe(FindingState.Flagged);

        var officer = await fixture.SignedInAs(Scenarios.Officer);
        (await fixture.TransitionAsync(officer, circular, "withdraw", new() { ["Reason"] = "Vendor fixed it." })).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        await fixture.SendAsync(new ScanDue.Command());

        var finding = (await fixture.FindingsAsync(id)).Single();
        finding.State.ShouldBe(FindingState.Remediated);
        finding.Resolution.ShouldBe("Circular withdrawn");
    }
}
