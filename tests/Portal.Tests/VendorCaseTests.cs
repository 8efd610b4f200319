using Portal.Web.Domain;

namespace Portal.Tests;

public sealed class VendorCaseTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private async Task<Guid> ModelAsync(string name) => (await fixture.ModelIdAsync("Xiaomi", name))!.Value;

    private async Task AddXiaomiRuleAsync(PortalClient officer, Guid id, string model)
    {
        var xiaomi = (await fixture.ManufacturerIdAsync("Xiaomi"))!.Value;
        var rule = await fixture.TransitionAsync(officer, id, "rules", new()
            { ["ManufacturerId"] = xiaomi.ToString(), ["DeviceModelId"] = (await ModelAsync(model)).ToString(), ["Action"] = nameof(RuleAction.Banned) });
        rule.StatusCode.ShouldBe(HttpStatusCode.Redirect, await rule.Content.ReadAsStringAsync());
    }

    /// <summary>Published with a rule on a scenario model (no vendor) and one on the Redmi Note (Xiaomi's).</summary>
    private async Task<Guid> PublishedNamingXiaomiAsync(string title)
    {
        var officer = await fixture.SignedInAs(Scenarios.Officer);
        var approver = await fixture.SignedInAs(Scenarios.Approver);
        var id = await fixture.DraftAsync(officer, title);
        await fixture.MakePublishableAsync(id);
        await AddXiaomiRuleAsync(officer, id, "Redmi Note");
        (await fixture.TransitionAsync(officer, id, "submit")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await fixture.TransitionAsync(approver, id, "approve")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        return id;
    }

    private Task<List<VendorCase>> CasesAsync(Guid circularId) =>
        fixture.Db(db => db.VendorCases.AsNoTracking().Include(c => c.Models).Where(c => c.CircularId == circularId).ToListAsync());

    [Fact]
    public async Task Publication_opens_one_case_per_vendor_named_with_each_model_unknown_and_an_amendment_adds_models_to_it()
    {
        var id = await PublishedNamingXiaomiAsync("Case opening");

        var opened = (await CasesAsync(id)).ShouldHaveSingleItem("the scenario manufacturer has no vendor organisation");
        var xiaomi = await fixture.Db(db => db.VendorOrganisations.Where(v => v.Name == "Xiaomi").Select(v => v.Id).SingleAsync());
        opened.VendorOrganisationId.ShouldBe(xiaomi);
        opened.Models.Select(m => (m.MarketingName, m.Status)).ShouldBe([("Redmi Note", ModelStatus.Unknown)]);
        opened.OpenedAtRevision.ShouldBe(1);
        opened.ResponseDueOn.ShouldBe(DateOnly.FromDateTime(opened.OpenedAt.UtcDateTime).AddDays(14), "the default response time is 14 days");
        opened.FirstSeenAt.ShouldBeNull();

        var officer = await fixture.SignedInAs(Scenarios.Officer);
        var approver = await fixture.SignedInAs(Scenarios.Approver);
        (await fixture.TransitionAsync(officer, id, "amend")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        await AddXiaomiRuleAsync(officer, id, "Redmi Note 4G");
        (await fixture.TransitionAsync(officer, id, "submit", new() { ["ChangeSummary"] = "The 4G model too.", ["ChangeKind"] = "Material" })).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await fixture.TransitionAsync(approver, id, "approve")).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var amended = (await CasesAsync(id)).ShouldHaveSingleItem("one case per circular and vendor, whatever the revisions");
        amended.Id.ShouldBe(opened.Id);
        amended.Models.Select(m => m.MarketingName).Order().ShouldBe(["Redmi Note", "Redmi Note 4G"]);
        amended.ResponseDueOn.ShouldBe(opened.ResponseDueOn);
    }

    [Fact]
    public async Task The_vendors_users_are_told_in_their_inbox_and_by_e_mail()
    {
        var id = await PublishedNamingXiaomiAsync("Case notices");
        var vendorUser = await fixture.Db(db => db.Users.Where(u => u.Email == Scenarios.Vendor).Select(u => u.Id).SingleAsync());

        var notices = await fixture.Db(db => db.Notifications.AsNoTracking().Where(n => n.CircularId == id && n.Purpose == NotificationPurpose.VendorCase).ToListAsync());

        notices.Select(n => (n.Channel, n.UserId, n.Address, n.State)).OrderBy(n => n.Channel).ShouldBe([
            (NotificationChannel.InApp, (Guid?)vendorUser, (string?)null, NotificationState.Sent),
            (NotificationChannel.Email, vendorUser, Scenarios.Vendor, NotificationState.Pending),
        ]);
        var vendor = await fixture.SignedInAs(Scenarios.Vendor);
        var (_, inbox) = await vendor.GetPageAsync("/inbox");
        inbox.QuerySelector("main")!.TextContent.ShouldContain("Vendor case opened");
        var email = await fixture.Db(async db =>
        {
            var composer = fixture.Factory.Services.GetRequiredService<Portal.Web.Features.Notifications.MessageComposer>();
            var revision = await db.CircularRevisions.AsNoTracking().SingleAsync(r => r.CircularId == id && r.Number == 1);
            return await composer.EmailAsync(notices.Single(n => n.Channel == NotificationChannel.Email), revision, Portal.Web.Features.Notifications.MessageFacts.None);
        });
        email.Subject.ShouldEndWith("Case notices");
        email.Subject.ShouldStartWith("Vendor case opened: [");
        email.Text.ShouldContain("/vendor-cases");
        email.Text.ShouldNotContain("Do not use the", Case.Sensitive, "the circular's text stays in the portal");
    }

    [Fact]
    public async Task The_vendor_sees_its_case_and_its_first_opening_is_recorded_once()
    {
        var id = await PublishedNamingXiaomiAsync("Case seen");
        var caseId = (await CasesAsync(id)).Single().Id;
        var officer = await fixture.SignedInAs(Scenarios.Officer);
        var vendor = await fixture.SignedInAs(Scenarios.Vendor);

        (await officer.Http.GetAsync($"/vendor-cases/{caseId}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await CasesAsync(id)).Single().FirstSeenAt.ShouldBeNull("an officer opening the case is not the vendor seeing it");

        var (list, listPage) = await vendor.GetPageAsync("/vendor-cases");
        list.StatusCode.ShouldBe(HttpStatusCode.OK);
        listPage.QuerySelectorAll($"a[href='/vendor-cases/{caseId}']").Length.ShouldBe(1);
        var (response, page) = await vendor.GetPageAsync($"/vendor-cases/{caseId}");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        page.QuerySelector("tbody tr")!.TextContent.ShouldContain("Unknown");
        var seen = (await CasesAsync(id)).Single();
        seen.FirstSeenAt.ShouldNotBeNull();
        seen.FirstSeenById.ShouldBe(await fixture.Db(db => db.Users.Where(u => u.Email == Scenarios.Vendor).Select(u => u.Id).SingleAsync()));

        (await vendor.Http.GetAsync($"/vendor-cases/{caseId}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await CasesAsync(id)).Single().FirstSeenAt.ShouldBe(seen.FirstSeenAt);
        (await fixture.Db(db => db.AuditEvents.CountAsync(e => e.EntityId == caseId && e.Action == "CaseSeen"))).ShouldBe(1);
    }

    [Fact]
    public async Task A_vendor_cannot_open_another_vendors_case_and_staff_have_no_case_pages()
    {
        var id = await PublishedNamingXiaomiAsync("Another vendor's case");
        var other = await fixture.Db(async db =>
        {
            var vendor = VendorOrganisation.Create("Other Phones Ltd", null, fixture.Clock.GetUtcNow());
            db.VendorOrganisations.Add(vendor);
            var model = await db.DeviceModels.FirstAsync(m => m.MarketingName == "Redmi Note");
            var foreign = VendorCase.Open(id, vendor.Id, 1, [(model.Id, model.MarketingName)], fixture.Clock.GetUtcNow(), 14);
            db.VendorCases.Add(foreign);
            await db.SaveChangesAsync();
            return foreign.Id;
        });
        var vendor = await fixture.SignedInAs(Scenarios.Vendor);
        var staff = await fixture.SignedInAs(Scenarios.Staff);

        (await vendor.Http.GetAsync($"/vendor-cases/{other}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await vendor.Http.GetAsync($"/vendor-cases/{Guid.NewGuid()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var (_, list) = await vendor.GetPageAsync("/vendor-cases");
        list.QuerySelectorAll($"a[href='/vendor-cases/{other}']").Length.ShouldBe(0);
        (await fixture.Db(db => db.VendorCases.Where(c => c.Id == other).Select(c => c.FirstSeenAt).SingleAsync())).ShouldBeNull();
        (await staff.Http.GetAsync("/vendor-cases")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await staff.Http.GetAsync($"/vendor-cases/{other}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_vendor_sets_a_models_status_but_never_FixVerified_nor_on_a_model_or_case_not_its_own()
    {
        var id = await PublishedNamingXiaomiAsync("Case statuses");
        var caseId = (await CasesAsync(id)).Single().Id;
        var redmiNote = await ModelAsync("Redmi Note");
        var vendor = await fixture.SignedInAs(Scenarios.Vendor);
        var staff = await fixture.SignedInAs(Scenarios.Staff);
        var page = $"/vendor-cases/{caseId}";

        var affected = await vendor.PostFormAsync($"{page}/status", new() { ["DeviceModelId"] = redmiNote.ToString(), ["Status"] = "Affected" }, page);
        var verified = await vendor.PostFormAsync($"{page}/status", new() { ["DeviceModelId"] = redmiNote.ToString(), ["Status"] = "FixVerified" }, page);
        var stranger = await vendor.PostFormAsync($"{page}/status", new() { ["DeviceModelId"] = (await ModelAsync("Mi 4")).ToString(), ["Status"] = "NotAffected" }, page);
        var elsewhere = await vendor.PostFormAsync($"/vendor-cases/{Guid.NewGuid()}/status", new() { ["DeviceModelId"] = redmiNote.ToString(), ["Status"] = "NotAffected" }, page);

        affected.StatusCode.ShouldBe(HttpStatusCode.Redirect, await affected.Content.ReadAsStringAsync());
        verified.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var refused = await verified.PageAsync();
        refused.Errors().ShouldBe(["Only the security officers mark a fix verified, after their lab has re-tested it. Choose \"fix claimed\" to tell them of your fix."]);
        refused.FieldValue("DeviceModelId").ShouldBe(redmiNote.ToString());
        stranger.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await stranger.PageAsync()).Errors().ShouldBe(["That model is not part of this case: choose one of the models the circular names."]);
        elsewhere.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await staff.PostFormAsync($"{page}/status", new() { ["DeviceModelId"] = redmiNote.ToString(), ["Status"] = "NotAffected" }, "/circulars")).StatusCode
            .ShouldBe(HttpStatusCode.Forbidden);
        (await CasesAsync(id)).Single().Models.Single().Status.ShouldBe(ModelStatus.Affected, "only the first, valid change was made");
        (await fixture.Db(db => db.AuditEvents.CountAsync(e => e.EntityId == caseId && e.Action == "ModelStatusSet"))).ShouldBe(1);
    }
}
