using Microsoft.AspNetCore.Identity;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Features.VendorCases;
using Portal.Web.Features.VendorMembership;

namespace Portal.Tests;

/// <summary>
/// Joining a vendor organisation (issue 9, part 4) and a case's deadline (part 7). The rounds read the test clock;
/// rather than move it (sign-in codes follow the real time), the tests move the request's or the case's dates back.
/// </summary>
public sealed class VendorMembershipAndDeadlineTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private async Task<Guid> VendorWithoutOrganisationAsync(string email)
    {
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = new PortalUser { UserName = email, Email = email, DisplayName = "New Vendor Person", EmailConfirmed = true };
        (await users.CreateAsync(user, DemoData.Password)).Succeeded.ShouldBeTrue();
        (await users.AddToRolesAsync(user, [Roles.Vendor])).Succeeded.ShouldBeTrue();
        return user.Id;
    }

    private Task<Guid> XiaomiAsync() => fixture.Db(db => db.VendorOrganisations.Where(v => v.Name == "Xiaomi").Select(v => v.Id).SingleAsync());

    private Task<VendorMembershipRequest> RequestOfAsync(Guid user) =>
        fixture.Db(db => db.Set<VendorMembershipRequest>().AsNoTracking().Where(r => r.UserId == user).OrderByDescending(r => r.RequestedAt).FirstAsync());

    [Fact]
    public async Task A_vendor_person_asks_to_join_and_the_organisations_administrator_approves_another_organisations_request_is_not_found()
    {
        var personId = await VendorWithoutOrganisationAsync("joiner@xiaomi.example");
        var person = await fixture.SignedInAs("joiner@xiaomi.example");
        var xiaomi = await XiaomiAsync();

        var empty = await person.PostFormAsync("/vendor-membership", new() { ["Note"] = "I run Xiaomi's security response." }, "/vendor-membership");
        empty.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var refused = await empty.PageAsync();
        refused.Errors().ShouldBe(["Choose the organisation you work for."]);
        refused.FieldValue("Note").ShouldBe("I run Xiaomi's security response.");
        (await person.PostFormAsync("/vendor-membership", new() { ["VendorOrganisationId"] = xiaomi.ToString(), ["Note"] = "Security response." }, "/vendor-membership"))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var twice = await person.PostFormAsync("/vendor-membership", new() { ["VendorOrganisationId"] = xiaomi.ToString() }, "/vendor-membership");
        (await twice.PageAsync()).Errors().ShouldBe(["You already have a request waiting for an answer."]);

        var otherPerson = await VendorWithoutOrganisationAsync("joiner@other.example");
        var other = await fixture.Db(async db =>
        {
            var vendor = VendorOrganisation.Create("Membership Other Ltd", null, fixture.Clock.GetUtcNow());
            db.VendorOrganisations.Add(vendor);
            var asked = VendorMembershipRequest.Ask(otherPerson, vendor.Id, null, fixture.Clock.GetUtcNow());
            db.Add(asked);
            await db.SaveChangesAsync();
            return asked.Id;
        });

        var admin = await fixture.SignedInAs(Scenarios.Vendor);
        var (_, requests) = await admin.GetPageAsync("/vendor-membership/requests");
        requests.QuerySelector("main")!.TextContent.ShouldContain("New Vendor Person");
        requests.QuerySelectorAll($"form[action='/vendor-membership/requests/{other}']").Length.ShouldBe(0);
        (await admin.PostFormAsync($"/vendor-membership/requests/{other}", new() { ["Approve"] = "true" }, "/vendor-membership/requests"))
            .StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await fixture.Db(db => db.Users.Where(u => u.Id == otherPerson).Select(u => u.VendorOrganisationId).SingleAsync())).ShouldBeNull();

        var request = await RequestOfAsync(personId);
        (await admin.PostFormAsync($"/vendor-membership/requests/{request.Id}", new() { ["Approve"] = "true", ["Version"] = request.Version.ToString() }, "/vendor-membership/requests"))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await RequestOfAsync(personId)).State.ShouldBe(MembershipRequestState.Approved);
        (await fixture.Db(db => db.Users.Where(u => u.Id == personId).Select(u => u.VendorOrganisationId).SingleAsync())).ShouldBe(xiaomi);
        (await (await fixture.SignedInAs(Scenarios.Staff)).Http.GetAsync("/vendor-membership/requests")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task An_unanswered_request_is_escalated_once_after_3_days_shown_to_administrators_and_expires_after_30()
    {
        var personId = await VendorWithoutOrganisationAsync("waiting@xiaomi.example");
        var person = await fixture.SignedInAs("waiting@xiaomi.example");
        (await person.PostFormAsync("/vendor-membership", new() { ["VendorOrganisationId"] = (await XiaomiAsync()).ToString() }, "/vendor-membership"))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);

        (await fixture.SendAsync(new MembershipRound.Command())).Escalated.ShouldBe(0);
        var requestId = (await RequestOfAsync(personId)).Id;
        var now = fixture.Factory.Clock.GetUtcNow();
        await fixture.Db(db => db.Database.ExecuteSqlAsync(
            $"UPDATE vendor_membership_requests SET requested_at = {now.AddDays(-3.1)}, expires_at = {now.AddDays(26.9)} WHERE id = {requestId}"));
        (await fixture.SendAsync(new MembershipRound.Command())).Escalated.ShouldBe(1);
        (await fixture.SendAsync(new MembershipRound.Command())).Escalated.ShouldBe(0, "once per request");
        (await RequestOfAsync(personId)).EscalatedAt.ShouldNotBeNull();
        (await fixture.Db(db => db.AuditEvents.CountAsync(e => e.Action == "MembershipEscalated" && e.EntityId == requestId))).ShouldBe(1);
        var (_, home) = await (await fixture.SignedInAs("admin@portal.example")).GetPageAsync("/");
        var section = home.QuerySelector("[aria-labelledby=membership-requests-title]")!.TextContent;
        section.ShouldContain("New Vendor Person");
        section.ShouldContain("Unanswered for 3 days");

        await fixture.Db(db => db.Database.ExecuteSqlAsync(
            $"UPDATE vendor_membership_requests SET requested_at = {now.AddDays(-30.1)}, expires_at = {now.AddMinutes(-1)} WHERE id = {requestId}"));
        (await fixture.SendAsync(new MembershipRound.Command())).Expired.ShouldBe(1);
        var expired = await RequestOfAsync(personId);
        expired.State.ShouldBe(MembershipRequestState.Expired);
        var admin = await fixture.SignedInAs(Scenarios.Vendor);
        (await admin.PostFormAsync($"/vendor-membership/requests/{expired.Id}", new() { ["Approve"] = "true" }, "/vendor-membership/requests"))
            .StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await fixture.Db(db => db.Users.Where(u => u.Id == personId).Select(u => u.VendorOrganisationId).SingleAsync())).ShouldBeNull();
    }

    [Fact]
    public async Task The_vendor_is_reminded_once_3_and_1_days_before_an_unanswered_deadline_and_officers_see_it_overdue()
    {
        var circular = await fixture.PublishedCircularAsync("Deadline case");
        var officer = await fixture.SignedInAs(Scenarios.Officer);
        var approver = await fixture.SignedInAs(Scenarios.Approver);
        (await fixture.TransitionAsync(officer, circular, "amend")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await fixture.TransitionAsync(officer, circular, "rules", new()
        {
            ["ManufacturerId"] = (await fixture.ManufacturerIdAsync("Xiaomi"))!.Value.ToString(),
            ["DeviceModelId"] = (await fixture.ModelIdAsync("Xiaomi", "Mi 3"))!.Value.ToString(), ["Action"] = "Banned",
        })).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await fixture.TransitionAsync(officer, circular, "submit", new() { ["ChangeSummary"] = "Mi 3 too.", ["ChangeKind"] = "Material" })).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await fixture.TransitionAsync(approver, circular, "approve")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var vendorCase = await fixture.Db(db => db.VendorCases.AsNoTracking().SingleAsync(c => c.CircularId == circular));
        var demoVendor = await fixture.Db(db => db.Users.Where(u => u.Email == Scenarios.Vendor).Select(u => u.Id).SingleAsync());
        // Per person: another test of this class may have let a second person join Xiaomi.
        Task<int> RemindersAsync() => fixture.Db(db => db.Notifications.CountAsync(n => n.CircularId == circular && n.Purpose == NotificationPurpose.CaseDeadline
            && n.Channel == NotificationChannel.Email && n.UserId == demoVendor));
        var today = DateOnly.FromDateTime(fixture.Factory.Clock.GetUtcNow().UtcDateTime);
        Task DueInAsync(int days) => fixture.Db(db => db.Database.ExecuteSqlAsync($"UPDATE vendor_cases SET response_due_on = {today.AddDays(days)} WHERE id = {vendorCase.Id}"));

        await fixture.SendAsync(new RemindDeadlines.Command());
        (await RemindersAsync()).ShouldBe(0, "14 days left");
        await DueInAsync(3);
        await fixture.SendAsync(new RemindDeadlines.Command());
        await fixture.SendAsync(new RemindDeadlines.Command());
        (await RemindersAsync()).ShouldBe(1, "one e-mail to the demo vendor, once");
        await DueInAsync(2);
        await fixture.SendAsync(new RemindDeadlines.Command());
        (await RemindersAsync()).ShouldBe(1);
        await DueInAsync(1);
        await fixture.SendAsync(new RemindDeadlines.Command());
        (await RemindersAsync()).ShouldBe(2, "the 1-day round");

        await DueInAsync(-1);
        var (_, list) = await officer.GetPageAsync("/vendor-cases");
        list.QuerySelector($"a[href='/vendor-cases/{vendorCase.Id}']")!.Closest("tr")!.TextContent.ShouldContain("Response overdue");
        var (_, page) = await officer.GetPageAsync($"/circulars/{circular}");
        page.QuerySelector("[aria-labelledby=unanswered-title]")!.TextContent.ShouldContain("Xiaomi");
        var (_, staffPage) = await (await fixture.SignedInAs(Scenarios.Staff)).GetPageAsync($"/circulars/{circular}");
        staffPage.QuerySelector("[aria-labelledby=unanswered-title]").ShouldBeNull("only officers, approvers and auditors see who has not answered");

        var vendor = await fixture.SignedInAs(Scenarios.Vendor);
        (await vendor.PostFormAsync($"/vendor-cases/{vendorCase.Id}/statements", new() { ["Text"] = "Looking into it." }, $"/vendor-cases/{vendorCase.Id}")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await officer.GetPageAsync($"/circulars/{circular}")).Page.QuerySelector("[aria-labelledby=unanswered-title]")!.TextContent.ShouldNotContain("Xiaomi");
    }
}
