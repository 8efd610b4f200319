using Portal.Web.Domain;
using static Portal.Tests.Devices.DeviceScenarios;

namespace Portal.Tests.Devices;

/// <summary>Staff register their own and their family's phones; the published rules flag them at once, and updates resolve them.</summary>
public sealed class DeviceRegistrationTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private const string Redmi1STac = "86439602";
    private const string RedmiNoteTac = "86517402";

    [Fact]
    public async Task A_banned_phone_registered_under_another_spelling_of_its_maker_is_flagged_and_its_owner_told()
    {
        var staff = await fixture.SignedInAs(Scenarios.Staff);
        var imei = Imei(Redmi1STac, 101);
        var before = await fixture.Db(db => db.Notifications.MaxAsync(n => (long?)n.Id)) ?? 0;

        var id = await fixture.RegisterAsync(staff, Phone(imei, "XIAOMI INC.", "Redmi 1S", "V5.7.4"));

        var device = await fixture.Db(db => db.Devices.SingleAsync(d => d.Id == id));
        device.Tac.ShouldBe(Redmi1STac);
        device.ManufacturerId.ShouldBe(await fixture.ManufacturerIdAsync("Xiaomi"));
        var finding = (await fixture.FindingsAsync(id)).ShouldHaveSingleItem();
        finding.State.ShouldBe(FindingState.Flagged);
        finding.Action.ShouldBe(RuleAction.Banned);
        var notices = await fixture.Db(db => db.Notifications.Where(n => n.Id > before && n.Purpose == NotificationPurpose.DeviceFlagged
            && n.CircularId == finding.CircularId && n.StaffMemberId == device.StaffMemberId).Select(n => n.Channel).ToListAsync());
        notices.ShouldBe([NotificationChannel.InApp, NotificationChannel.Email], ignoreOrder: true);

        var (_, page) = await staff.GetPageAsync("/devices");
        var row = page.QuerySelectorAll("tbody tr").Single(r => r.TextContent.Contains(imei, StringComparison.Ordinal));
        row.TextContent.ShouldContain("Banned");
        row.TextContent.ShouldContain("Stop using this phone");
    }

    [Fact]
    public async Task The_owner_of_a_flagged_phone_is_told_in_the_language_of_their_account()
    {
        var staff = await fixture.SignedInAs(Scenarios.Staff);
        var before = await fixture.Db(db => db.Notifications.MaxAsync(n => (long?)n.Id)) ?? 0;
        await fixture.Db(db => db.Users.Where(u => u.Email == Scenarios.Staff).ExecuteUpdateAsync(u => u.SetProperty(x => x.Language, "hi")));
        try
        {
            var id = await fixture.RegisterAsync(staff, Phone(Imei(Redmi1STac, 303), "Xiaomi", "Redmi 1S", "V5.7.4"));

            var device = await fixture.Db(db => db.Devices.SingleAsync(d => d.Id == id));
            var languages = await fixture.Db(db => db.Notifications.Where(n => n.Id > before && n.Purpose == NotificationPurpose.DeviceFlagged
                && n.StaffMemberId == device.StaffMemberId).Select(n => n.Language).ToListAsync());
            languages.ShouldNotBeEmpty();
            languages.ShouldAllBe(l => l == "hi");
        }
        finally
        {
            await fixture.Db(db => db.Users.Where(u => u.Email == Scenarios.Staff).ExecuteUpdateAsync(u => u.SetProperty(x => x.Language, "en")));
        }
    }

    [Fact]
    public async Task Firmware_below_the_fixed_version_is_restricted_and_an_update_resolves_it_with_a_record()
    {
        var staff = await fixture.SignedInAs(Scenarios.Staff);
        var id = await fixture.RegisterAsync(staff, Phone(Imei(RedmiNoteTac, 202), "Xiaomi Communications Co., Ltd.", "Redmi Note", "V5.8.3"));
        (await fixture.FindingsAsync(id)).ShouldHaveSingleItem().Action.ShouldBe(RuleAction.Restricted);

        var changed = await staff.PostFormAsync($"/devices/{id}", new()
            { ["Manufacturer"] = "Xiaomi", ["Model"] = "Redmi Note", ["OsVersion"] = "V5.8.22" }, $"/devices/{id}");

        changed.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var finding = (await fixture.FindingsAsync(id)).ShouldHaveSingleItem();
        finding.State.ShouldBe(FindingState.Remediated);
        finding.Resolution.ShouldBe("Device updated: no longer covered");
    }

    [Fact]
    public async Task A_model_typed_without_a_catalogue_TAC_is_matched_by_the_rule_pattern_and_a_newer_version_is_not()
    {
        var staff = await fixture.SignedInAs(Scenarios.Staff);
        var old = await fixture.RegisterAsync(staff, Phone(Imei("99000001", 303), "Redmi", "Redmi Note 5 Pro", "V5.8.9"));
        var fixedOne = await fixture.RegisterAsync(staff, Phone(Imei("99000001", 304), "Redmi", "Redmi Note 5 Pro", "V5.8.100"));
        var other = await fixture.RegisterAsync(staff, Phone(Imei("99000001", 305), "Samsung", "Redmi Note 5 Pro", "V5.8.9"));

        (await fixture.FindingsAsync(old)).ShouldHaveSingleItem().Action.ShouldBe(RuleAction.Restricted);
        (await fixture.FindingsAsync(fixedOne)).ShouldBeEmpty();
        (await fixture.FindingsAsync(other)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Removing_a_flagged_phone_resolves_its_finding_saying_why()
    {
        var staff = await fixture.SignedInAs(Scenarios.Staff);
        var id = await fixture.RegisterAsync(staff, Phone(Imei(Redmi1STac, 404), "Xiaomi", "Redmi 1S"));

        var removed = await staff.PostFormAsync($"/devices/{id}/remove", new() { ["Reason"] = "Replaced" }, "/devices");

        removed.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var finding = (await fixture.FindingsAsync(id)).ShouldHaveSingleItem();
        finding.State.ShouldBe(FindingState.Remediated);
        finding.Resolution.ShouldBe("Device removed: Replaced");
        var (_, page) = await staff.GetPageAsync("/devices");
        page.Body!.TextContent.ShouldNotContain(Imei(Redmi1STac, 404));
    }

    [Fact]
    public async Task A_family_members_phone_is_registered_under_their_name()
    {
        var staff = await fixture.SignedInAs(Scenarios.Staff);
        var dependent = await fixture.Db(db => db.Dependents.Where(d => db.StaffMembers.Any(s => s.Id == d.StaffMemberId && s.Email == Scenarios.Staff))
            .OrderBy(d => d.FullName).Select(d => new { d.Id, d.FullName }).FirstAsync());

        var id = await fixture.RegisterAsync(staff, Phone(Imei("35000001", 505), "Samsung", "Galaxy A14", owner: dependent.Id.ToString()));

        (await fixture.Db(db => db.Devices.SingleAsync(d => d.Id == id))).DependentId.ShouldBe(dependent.Id);
        var (_, page) = await staff.GetPageAsync("/devices");
        page.QuerySelectorAll("tbody tr").Single(r => r.TextContent.Contains("Galaxy A14", StringComparison.Ordinal))
            .TextContent.ShouldContain(dependent.FullName);
    }

    [Theory]
    [InlineData("490154203237519", "Luhn")]
    [InlineData("49015420323751X", "only digits")]
    [InlineData("12345", "15 digits")]
    public async Task A_wrong_IMEI_is_refused_on_the_form_with_what_was_typed_kept(string imei, string reason)
    {
        var staff = await fixture.SignedInAs(Scenarios.Staff);

        var response = await staff.PostFormAsync("/devices", Phone(imei, "Acme", "Phone One"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var page = await response.PageAsync();
        page.Errors().ShouldHaveSingleItem().ShouldContain(reason);
        page.FieldValue("Imei").ShouldBe(imei);
        page.FieldValue("Model").ShouldBe("Phone One");
    }

    [Fact]
    public async Task The_same_IMEI_cannot_be_registered_twice_and_nothing_says_whose_it_is()
    {
        var staff = await fixture.SignedInAs(Scenarios.Staff);
        var imei = Imei("35000002", 606);
        await fixture.RegisterAsync(staff, Phone(imei, "Samsung", "Galaxy A15"));

        var again = await staff.PostFormAsync("/devices", Phone(imei, "Samsung", "Galaxy A15"));

        again.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await again.PageAsync()).Errors().ShouldHaveSingleItem().ShouldContain("already registered");
    }

    [Fact]
    public async Task Someone_elses_family_member_or_device_is_as_if_it_did_not_exist()
    {
        var staff = await fixture.SignedInAs(Scenarios.Staff);
        var stranger = await fixture.Db(db => db.StaffMembers.Include(s => s.Dependents).FirstAsync(s => s.Email != Scenarios.Staff && s.Dependents.Count > 0));
        var theirs = await fixture.Db(async db =>
        {
            var device = Device.Register(stranger.Id, null, Imei("35000003", 707), new DeviceDescription("Samsung", null, "Galaxy S9", null, null),
                DeviceSource.SelfRegistered, fixture.Clock.GetUtcNow());
            db.Devices.Add(device);
            await db.SaveChangesAsync();
            return device.Id;
        });

        (await staff.Http.GetAsync($"/devices/{theirs}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await staff.PostFormAsync($"/devices/{theirs}/remove", new() { ["Reason"] = "Replaced" }, "/devices")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var asTheirFamily = await staff.PostFormAsync("/devices", Phone(Imei("35000003", 708), "Samsung", "Galaxy S9", owner: stranger.Dependents[0].Id.ToString()));
        asTheirFamily.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await fixture.Db(db => db.Devices.CountAsync(d => d.Imei == Imei("35000003", 708)))).ShouldBe(0);
    }

    [Fact]
    public async Task Hostile_input_never_fails_the_server()
    {
        var staff = await fixture.SignedInAs(Scenarios.Staff);

        (await staff.PostFormAsync("/devices", Phone(Imei("35000004", 1), "=cmd|' /C calc'!A0", new string('x', 5000), owner: "not-a-guid")))
            .StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await staff.PostFormAsync($"/devices/{Guid.NewGuid()}/remove", new() { ["Reason"] = "<script>" }, "/devices"))
            .StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await staff.Http.GetAsync("/devices/not-a-guid")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_circular_published_with_a_TAC_prefix_flags_phones_already_registered_whatever_their_maker_is_called()
    {
        var staff = await fixture.SignedInAs(Scenarios.Staff);
        var covered = await fixture.RegisterAsync(staff, Phone(Imei("77123456", 808), "Unknown Maker", "Phone 7"));
        var notCovered = await fixture.RegisterAsync(staff, Phone(Imei("77124456", 809), "Unknown Maker", "Phone 7"));

        var circular = await fixture.PublishedWithRuleAsync("TAC prefix ban", "Xiaomi", new() { ["TacPrefixes"] = "771234", ["Action"] = nameof(RuleAction.Banned) });

        var finding = (await fixture.FindingsAsync(covered)).ShouldHaveSingleItem();
        finding.CircularId.ShouldBe(circular);
        (await fixture.FindingsAsync(notCovered)).ShouldBeEmpty();
    }
}
