using Portal.Web.Domain;
using Portal.Web.Features.Devices;
using static Portal.Tests.Devices.DeviceScenarios;

namespace Portal.Tests.Devices;

/// <summary>The alert to the commander when an exemption ends, read from a real SMTP sink.</summary>
public sealed class ExemptionMailTests(DispatchFixture fixture) : IClassFixture<DispatchFixture>
{
    [Fact]
    public async Task The_commander_is_told_which_device_is_flagged_again_with_its_IMEI_masked()
    {
        var portal = fixture.Portal;
        var staff = await portal.SignedInAs(Scenarios.Staff);
        var imei = Imei("86439602", 61);
        var id = await portal.RegisterAsync(staff, Phone(imei, "Xiaomi", "Redmi 1S"));
        var finding = (await portal.FindingsAsync(id)).ShouldHaveSingleItem();
        var commander = await portal.SignedInAs(Scenarios.Commander);
        var until = DateOnly.FromDateTime(fixture.Clock.GetUtcNow().UtcDateTime).AddDays(5);
        (await commander.PostFormAsync($"/devices/compliance/findings/{finding.Id}/exemption",
            new() { ["Reason"] = "Waiting for the replacement.", ["Until"] = until.ToString("yyyy-MM-dd") }, "/devices/compliance"))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var officer = await portal.SignedInAs(Scenarios.Officer);
        (await officer.PostFormAsync($"/devices/compliance/findings/{finding.Id}/decision", new() { ["Approve"] = "true" }, "/devices/compliance"))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);
        await fixture.DispatchAsync();
        fixture.Smtp.Clear();
        var owner = await portal.Db(db => db.StaffMembers.Where(s => db.Users.Any(u => u.Id == s.UserId && u.Email == Scenarios.Staff)).Select(s => s.FullName).SingleAsync());

        using (var travel = fixture.Travel())
        {
            travel.Advance(TimeSpan.FromDays(6));
            (await portal.SendAsync(new ScanDue.Command())).ExemptionsEnded.ShouldBe(1);
            await fixture.DispatchAsync();
        }

        var alert = await portal.Db(db => db.Notifications.SingleAsync(n => n.Purpose == NotificationPurpose.ExemptionExpired && n.DeviceId == id));
        alert.State.ShouldBe(NotificationState.Sent);
        var mail = fixture.Smtp.MessagesFor([alert.Id]).ShouldHaveSingleItem();
        mail.Recipients.ShouldBe([Scenarios.Commander]);
        mail.Subject.ShouldStartWith("Device exemption ended: [");
        mail.Subject.ShouldEndWith("Xiaomi Redmi 1S");
        mail.Text.ShouldContain($"IMEI {Imeis.Mask(imei)}");
        mail.Text.ShouldContain($"{owner} (");
        mail.Text.ShouldNotContain(imei);
        mail.Html.ShouldNotContain(imei);
        var html = PortalClient.Parse(mail.Html);
        html.QuerySelectorAll("td").Select(td => td.TextContent).ShouldContain(Imeis.Mask(imei));
        html.QuerySelector("a[href='http://localhost:5080/devices/compliance?status=Flagged']").ShouldNotBeNull();
    }
}
