using Microsoft.AspNetCore.Identity;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Features.VendorMembership;

namespace Portal.Tests;

/// <summary>
/// A request to join a vendor organisation left unanswered for 3 days reaches the portal's administrators (issue 9,
/// part 4): an inbox notice and an e-mail each, once, on the test clock, through the real outbox to a real SMTP sink.
/// </summary>
public sealed class VendorMembershipEscalationTests(DispatchFixture dispatch) : IClassFixture<DispatchFixture>
{
    private PortalFixture Fixture => dispatch.Portal;

    private Task<List<Notification>> EscalationsAsync() => Fixture.Db(db => db.Notifications.AsNoTracking()
        .Where(n => n.Purpose == NotificationPurpose.MembershipEscalation).OrderBy(n => n.Id).ToListAsync());

    [Fact]
    public async Task A_request_unanswered_for_3_days_reaches_every_administrator_by_e_mail_and_inbox_once()
    {
        const string email = "escalated@xiaomi.example";
        Guid personId;
        await using (var scope = Fixture.Factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            var user = new PortalUser { UserName = email, Email = email, DisplayName = "Escalated Vendor Person", EmailConfirmed = true };
            (await users.CreateAsync(user, DemoData.Password)).Succeeded.ShouldBeTrue();
            (await users.AddToRolesAsync(user, [Roles.Vendor])).Succeeded.ShouldBeTrue();
            personId = user.Id;
        }
        var person = await Fixture.SignedInAs(email);
        var xiaomi = await Fixture.Db(db => db.VendorOrganisations.Where(v => v.Name == "Xiaomi").Select(v => v.Id).SingleAsync());
        (await person.PostFormAsync("/vendor-membership", new() { ["VendorOrganisationId"] = xiaomi.ToString() }, "/vendor-membership"))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);
        await dispatch.DispatchAsync();
        dispatch.Smtp.Clear();

        using (var travel = dispatch.Travel())
        {
            travel.Advance(TimeSpan.FromDays(2.9));
            (await Fixture.SendAsync(new MembershipRound.Command())).Escalated.ShouldBe(0);
            (await EscalationsAsync()).ShouldBeEmpty("not yet 3 days");
            travel.Advance(TimeSpan.FromDays(0.2));
            (await Fixture.SendAsync(new MembershipRound.Command())).Escalated.ShouldBe(1);
            (await Fixture.SendAsync(new MembershipRound.Command())).Escalated.ShouldBe(0, "once per request");
            await dispatch.DispatchAsync();
        }

        var administrators = await Fixture.Db(db => db.Users.Where(u => db.UserRoles.Any(ur => ur.UserId == u.Id
            && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Roles.Administrator))).Select(u => new { u.Id, u.Email }).ToListAsync());
        administrators.ShouldNotBeEmpty();
        var notices = await EscalationsAsync();
        notices.Where(n => n.Channel == NotificationChannel.InApp).Select(n => n.UserId!.Value).Order().ShouldBe(administrators.Select(a => a.Id).Order());
        notices.Where(n => n.Channel == NotificationChannel.Email).Select(n => n.Address).Order()
            .ShouldBe(administrators.Where(a => a.Email != null).Select(a => a.Email).Order());
        notices.ShouldAllBe(n => n.CircularId == null && n.State == NotificationState.Sent);

        var mail = dispatch.Smtp.Messages().Where(m => m.Recipients.Contains("admin@portal.example")).ShouldHaveSingleItem();
        mail.Subject.ShouldStartWith("Vendor membership requests waiting: ");
        mail.Text.ShouldContain("Escalated Vendor Person → Xiaomi");
        mail.Html.ShouldContain($"/admin/users/{personId}");
        dispatch.Smtp.Messages().ShouldAllBe(m => !m.Recipients.Contains(email), "the person asking is not written to");

        var admin = await Fixture.SignedInAs("admin@portal.example");
        var (_, inbox) = await admin.GetPageAsync("/inbox");
        inbox.QuerySelector("main")!.TextContent.ShouldContain("Vendor membership requests waiting");
        var adminId = administrators.Single(a => a.Email == "admin@portal.example").Id;
        var notice = notices.Single(n => n.Channel == NotificationChannel.InApp && n.UserId == adminId);
        var opened = await admin.Http.GetAsync($"/inbox/{notice.Id}");
        opened.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        opened.Headers.Location!.OriginalString.ShouldBe("/#membership-requests-title");
        (await Fixture.Db(db => db.Notifications.Where(n => n.Id == notice.Id).Select(n => n.ReadAt).SingleAsync())).ShouldNotBeNull();
    }
}
