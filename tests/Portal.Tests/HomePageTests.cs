using Microsoft.AspNetCore.Identity;
using Portal.Web.Data;
using Portal.Web.Domain;

namespace Portal.Tests;

/// <summary>Each role's start page answers "what do I need to do?" with counts that lead to the list behind them.</summary>
public sealed class HomePageTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private static int Count(AngleSharp.Html.Dom.IHtmlDocument page, string section) =>
        int.Parse(new string(page.QuerySelector($"#{section}")!.ParentElement!.QuerySelector(".task-count")!.TextContent.Trim().TakeWhile(char.IsDigit).ToArray()));

    [Fact]
    public async Task Staff_see_what_waits_for_their_acknowledgement_and_the_count_leads_to_that_list()
    {
        var id = await fixture.PublishedCircularAsync("Home page pending notice", TlpLabel.Green, "SQ110");
        var staff = await fixture.SignedInAs(Scenarios.Staff);

        var (_, home) = await staff.GetPageAsync("/");
        var section = home.QuerySelector("#staff-tasks-title")!.ParentElement!;
        section.QuerySelector($"a[href='/circulars/{id}']").ShouldNotBeNull();
        var count = Count(home, "staff-tasks-title");
        var link = section.QuerySelector(".task-count a")!.GetAttribute("href")!;
        link.ShouldBe("/circulars?pending=true");
        var (_, list) = await staff.GetPageAsync(link);
        list.QuerySelectorAll("tbody tr").Length.ShouldBe(count);
        list.QuerySelector($"tbody a[href='/circulars/{id}']").ShouldNotBeNull();

        var ack = await staff.PostFormAsync($"/circulars/{id}/acknowledge", new() { ["Revision"] = "1" }, $"/circulars/{id}");
        ack.StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var (_, after) = await staff.GetPageAsync("/");
        after.QuerySelector($"#staff-tasks-title")!.ParentElement!.QuerySelector($"a[href='/circulars/{id}']").ShouldBeNull();
        (count == 1 ? 0 : Count(after, "staff-tasks-title")).ShouldBe(count - 1);
        (await staff.GetPageAsync(link)).Page.QuerySelector($"tbody a[href='/circulars/{id}']").ShouldBeNull();
    }

    [Fact]
    public async Task Staff_see_each_family_members_outstanding_notices()
    {
        var staff = await fixture.SignedInAs(Scenarios.Staff);
        (await staff.PostFormAsync("/family-members", new()
        {
            ["FullName"] = "Meera Homepage", ["Relationship"] = "Spouse", ["Email"] = "meera@home.example", ["MobileNumber"] = "",
            ["PreferredLanguage"] = "hi", ["ConsentToContact"] = "true",
        })).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        await fixture.PublishedCircularAsync("Family home notice", TlpLabel.Green, "SQ110", families: true);

        var (_, home) = await staff.GetPageAsync("/");
        var member = home.QuerySelector("#family-tasks-title")!.ParentElement!.QuerySelectorAll("li").Single(li => li.TextContent.Contains("Meera Homepage"));
        member.TextContent.ShouldContain("1 notices not yet acknowledged");
    }

    [Fact]
    public async Task Officers_see_returned_drafts_and_approvers_the_review_queue_oldest_first()
    {
        var officer = await fixture.SignedInAs(Scenarios.Officer);
        var approver = await fixture.SignedInAs(Scenarios.Approver);
        var older = await fixture.DraftAsync(officer, "Queue first");
        await fixture.MakePublishableAsync(older);
        (await fixture.TransitionAsync(officer, older, "submit")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        fixture.Factory.Clock.Advance(TimeSpan.FromMinutes(1));
        var newer = await fixture.DraftAsync(officer, "Queue second");
        await fixture.MakePublishableAsync(newer);
        (await fixture.TransitionAsync(officer, newer, "submit")).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var (_, queue) = await approver.GetPageAsync("/");
        var items = queue.QuerySelector("#approver-tasks-title")!.ParentElement!.QuerySelectorAll("li a").Select(a => a.GetAttribute("href")).ToList();
        items.IndexOf($"/circulars/{older}").ShouldBeLessThan(items.IndexOf($"/circulars/{newer}"));
        items.IndexOf($"/circulars/{older}").ShouldBeGreaterThanOrEqualTo(0);
        var reviewCount = Count(queue, "approver-tasks-title");
        var (_, reviewList) = await approver.GetPageAsync("/circulars?review=true");
        reviewList.QuerySelectorAll("tbody tr").Length.ShouldBe(reviewCount);

        (await fixture.TransitionAsync(approver, newer, "return", new() { ["Reason"] = "Name the lab." })).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var (_, mine) = await officer.GetPageAsync("/");
        var returned = mine.QuerySelector("#officer-returned-title")!.ParentElement!;
        returned.QuerySelector($"a[href='/circulars/{newer}']").ShouldNotBeNull();
        var (_, returnedList) = await officer.GetPageAsync(returned.QuerySelector(".task-count a")!.GetAttribute("href")!);
        returnedList.QuerySelectorAll("tbody tr").Length.ShouldBe(Count(mine, "officer-returned-title"));
        returnedList.QuerySelector($"tbody a[href='/circulars/{newer}']").ShouldNotBeNull();
    }

    [Fact]
    public async Task Officers_see_circulars_with_undelivered_messages_and_the_count_leads_to_them()
    {
        var failing = await fixture.PublishedCircularAsync("Home undelivered", TlpLabel.Green, "SQ320");
        var delivered = await fixture.PublishedCircularAsync("Home delivered", TlpLabel.Green, "SQ320");
        var bounced = await fixture.Db(db => db.Database.ExecuteSqlAsync($"""
            UPDATE notifications SET state = 'Bounced', attempts = 1, next_attempt_at = NULL, last_error = '550 no such user'
            WHERE id IN (SELECT id FROM notifications WHERE circular_id = {failing} AND channel = 'Email' ORDER BY id LIMIT 2)
            """));
        bounced.ShouldBe(2);
        var officer = await fixture.SignedInAs(Scenarios.Officer);

        var (_, home) = await officer.GetPageAsync("/");
        var section = home.QuerySelector("#officer-failures-title")!.ParentElement!;
        section.QuerySelector($"a[href='/circulars/{failing}/acknowledgements#delivery-title']")!.ParentElement!.TextContent.ShouldContain("2 not delivered");
        section.QuerySelector($"a[href^='/circulars/{delivered}']").ShouldBeNull();
        var count = Count(home, "officer-failures-title");
        var (_, list) = await officer.GetPageAsync(section.QuerySelector(".task-count a")!.GetAttribute("href")!);
        list.QuerySelectorAll("tbody tr").Length.ShouldBe(count);
        list.QuerySelector($"tbody a[href='/circulars/{failing}']").ShouldNotBeNull();
        list.QuerySelector($"tbody a[href='/circulars/{delivered}']").ShouldBeNull();

        // Staff may not learn about deliveries: for them the filter means nothing.
        var staff = await fixture.SignedInAs(Scenarios.Staff);
        var (_, staffList) = await staff.GetPageAsync("/circulars?undelivered=true");
        staffList.QuerySelector($"tbody a[href='/circulars/{delivered}']").ShouldNotBeNull();
    }

    [Fact]
    public async Task Commanders_see_their_units_progress_move_when_someone_acknowledges()
    {
        var id = await fixture.PublishedCircularAsync("Commander progress notice", TlpLabel.Green, "W1");
        var asked = await fixture.Db(db => db.AcknowledgementRequests.CountAsync(a => a.CircularId == id));
        var commander = await fixture.SignedInAs(Scenarios.Commander);

        string Line(AngleSharp.Html.Dom.IHtmlDocument page) => page.QuerySelector("#commander-tasks-title")!.ParentElement!
            .QuerySelectorAll("li").Single(li => li.TextContent.Contains("Commander progress notice")).TextContent;
        var (_, before) = await commander.GetPageAsync("/");
        Line(before).ShouldContain($"0 of {asked} acknowledged");

        var staff = await fixture.SignedInAs(Scenarios.Staff);
        (await staff.PostFormAsync($"/circulars/{id}/acknowledge", new() { ["Revision"] = "1" }, $"/circulars/{id}")).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var (_, after) = await commander.GetPageAsync("/");
        Line(after).ShouldContain($"1 of {asked} acknowledged");
        after.QuerySelector($"#commander-tasks-title")!.ParentElement!.QuerySelector($"a[href^='/circulars/{id}/acknowledgements']").ShouldNotBeNull();
    }

    [Fact]
    public async Task Administrators_see_locked_accounts_and_the_count_leads_to_them()
    {
        var locked = await fixture.Db(db => db.Users.SingleAsync(u => u.Email == Scenarios.Auditor));
        await fixture.Db(db => db.Users.Where(u => u.Id == locked.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.LockoutEnd, fixture.Factory.Clock.GetUtcNow().AddHours(1))));
        var admin = await fixture.SignedInAs("admin@portal.example");

        var (_, home) = await admin.GetPageAsync("/");
        Count(home, "admin-tasks-title").ShouldBe(1);
        var (_, list) = await admin.GetPageAsync(home.QuerySelector("#admin-tasks-title")!.ParentElement!.QuerySelector(".task-count a")!.GetAttribute("href")!);
        list.QuerySelectorAll("tbody tr").Select(r => r.TextContent).Single().ShouldContain(Scenarios.Auditor);
    }

    [Fact]
    public async Task Auditors_see_the_latest_events_and_that_the_chain_verifies()
    {
        await fixture.PublishedCircularAsync("Audited notice");
        var auditor = await fixture.SignedInAs(Scenarios.Auditor);

        var (_, home) = await auditor.GetPageAsync("/");
        var section = home.QuerySelector("#auditor-tasks-title")!.ParentElement!;
        section.TextContent.ShouldContain("The audit chain verifies");
        section.QuerySelectorAll("li").Length.ShouldBe(10);
        section.QuerySelector("li")!.TextContent.ShouldContain("published a revision");
    }

    [Fact]
    public async Task Administrators_see_pending_membership_requests_and_the_count_leads_to_those_people()
    {
        var xiaomi = await fixture.Db(db => db.VendorOrganisations.Where(v => v.Name == "Xiaomi").Select(v => v.Id).SingleAsync());
        var now = fixture.Factory.Clock.GetUtcNow();
        async Task<Guid> AskingAsync(string email, DateTimeOffset askedAt)
        {
            await using var scope = fixture.Factory.Services.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            var user = new PortalUser { UserName = email, Email = email, DisplayName = "Home " + email, EmailConfirmed = true };
            (await users.CreateAsync(user, DemoData.Password)).Succeeded.ShouldBeTrue();
            (await users.AddToRolesAsync(user, [Roles.Vendor])).Succeeded.ShouldBeTrue();
            await fixture.Db(async db =>
            {
                db.Add(VendorMembershipRequest.Ask(user.Id, xiaomi, null, askedAt));
                return await db.SaveChangesAsync();
            });
            return user.Id;
        }
        await AskingAsync("asking.now@xiaomi.example", now);
        await AskingAsync("asked.long.ago@xiaomi.example", now.AddDays(-60));
        var admin = await fixture.SignedInAs("admin@portal.example");

        var (_, home) = await admin.GetPageAsync("/");
        Count(home, "membership-requests-title").ShouldBe(1);
        var link = home.QuerySelector("#membership-requests-title")!.ParentElement!.QuerySelector(".task-count a")!.GetAttribute("href")!;
        link.ShouldBe("/admin/users?requested=true");
        var (_, list) = await admin.GetPageAsync(link);
        list.QuerySelectorAll("tbody tr").Select(r => r.TextContent).Single().ShouldContain("asking.now@xiaomi.example");
    }
}
