using static Portal.Tests.Devices.DeviceScenarios;

namespace Portal.Tests.Devices;

/// <summary>The start page's device sections: a staff member's flagged phones, a commander's flagged count.</summary>
public sealed class DeviceHomeTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task Staff_see_their_banned_phone_and_the_commander_their_units_flagged_count_on_the_start_page()
    {
        var commander = await fixture.SignedInAs(Scenarios.Commander);
        (await commander.GetPageAsync("/")).Page.QuerySelector("#unit-devices-title")!.ParentElement!.TextContent.ShouldContain("No device in your units is flagged.");
        var staff = await fixture.SignedInAs(Scenarios.Staff);
        (await staff.GetPageAsync("/")).Page.QuerySelector("#my-devices-title").ShouldBeNull();

        await fixture.RegisterAsync(staff, Phone(Imei("86439602", 71), "Xiaomi", "Redmi 1S"));
        var reference = await fixture.Db(db => db.Circulars.Where(c => c.Text.Title == Portal.Web.Data.DemoData.PublishedCircularTitle).Select(c => c.ReferenceNumber).SingleAsync());

        var mine = (await staff.GetPageAsync("/")).Page.QuerySelector("#my-devices-title")!.ParentElement!;
        mine.TextContent.ShouldContain("1 of your registered phones needs action.");
        mine.QuerySelector("li")!.TextContent.ShouldBe($"Xiaomi Redmi 1S: banned by {reference}");
        mine.QuerySelector("a[href='/devices']").ShouldNotBeNull();
        var theirs = (await commander.GetPageAsync("/")).Page.QuerySelector("#unit-devices-title")!.ParentElement!;
        theirs.TextContent.ShouldContain("1 devices are flagged, 0 of them family devices.");
        theirs.QuerySelector("a[href='/devices/compliance?status=Flagged']").ShouldNotBeNull();
    }
}
