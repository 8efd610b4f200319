using Portal.Web.Data;
using Portal.Web.Domain;

namespace Portal.Tests;

/// <summary>The story the demo tells (see the product brief), as loaded into every test database.</summary>
public sealed class DemoDataTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private Task<Circular> CircularAsync(string title) =>
        fixture.Db(db => db.Circulars.AsNoTracking().Include(c => c.Rules).Include(c => c.Audience).Include(c => c.Sources)
            .SingleAsync(c => c.Text.Title == title));

    [Fact]
    public async Task The_catalogue_holds_xiaomi_with_its_aliases_vendor_and_models()
    {
        var xiaomi = await fixture.Db(db => db.Manufacturers.SingleAsync(m => m.Name == "Xiaomi"));
        xiaomi.Aliases.ShouldBe(["Mi", "Redmi", "POCO"]);
        xiaomi.VendorOrganisationId.ShouldBe(await fixture.Db(db => db.VendorOrganisations.Where(v => v.Name == "Xiaomi").Select(v => (Guid?)v.Id).SingleAsync()));
        var redmi = await fixture.Db(db => db.DeviceModels.SingleAsync(m => m.ManufacturerId == xiaomi.Id && m.MarketingName == "Redmi 1S"));
        redmi.ModelNumbers.ShouldBe(["2014011", "2014501"]);
        redmi.Tacs.ShouldAllBe(t => Catalogue.IsTac(t));
        redmi.Tacs.Length.ShouldBeGreaterThanOrEqualTo(2);
        (await fixture.Db(db => db.DeviceModels.CountAsync(m => m.ManufacturerId == xiaomi.Id))).ShouldBeGreaterThanOrEqualTo(3);
        (await fixture.Db(db => db.Manufacturers.CountAsync())).ShouldBeGreaterThanOrEqualTo(2);
    }

    [Fact]
    public async Task The_redmi_circular_is_published_as_clear_and_amended_once()
    {
        var circular = await CircularAsync(DemoData.PublishedCircularTitle);

        circular.Status.ShouldBe(CircularStatus.Published);
        circular.Amendment.ShouldBe(AmendmentStatus.None);
        circular.Text.Tlp.ShouldBe(TlpLabel.Clear);
        circular.ReferenceNumber!.ShouldMatch(@"^SEC/ADV/\d{4}/\d{3}$");
        circular.Text.IncludeFamilies.ShouldBeTrue();
        circular.Text.FamilySummary.ShouldNotBeEmpty();
        circular.Audience.ShouldHaveSingleItem().UnitId.ShouldBe(await fixture.Db(db => db.Units.Where(u => u.Code == "AC").Select(u => u.Id).SingleAsync()));
        circular.Sources.Select(s => s.Kind).ShouldBe([SourceKind.CertAdvisory, SourceKind.LabReport, SourceKind.VendorStatement], ignoreOrder: true);
        circular.Rules.OrderBy(r => r.Position).Select(r => (r.Action, r.ModelPattern, r.FirmwareBelow))
            .ShouldBe([(RuleAction.Banned, null, null), (RuleAction.Restricted, "Redmi Note*", "V5.8.22")]);

        var revisions = await fixture.Db(db => db.CircularRevisions.AsNoTracking().Where(r => r.CircularId == circular.Id).OrderBy(r => r.Number).ToListAsync());
        revisions.Select(r => (r.Number, r.Kind)).ShouldBe([(1, RevisionKind.Initial), (2, RevisionKind.Minor)]);
        revisions[1].ChangeSummary.ShouldContain("V5.8.22");
        revisions[1].Text.Background.ShouldContain("Update (revision 2)");
        revisions[0].Sources.Count.ShouldBe(2);
        revisions[1].Sources.Count.ShouldBe(3);
        revisions[1].Rules[1].Models.Select(m => m.MarketingName).ShouldBe(["Redmi Note", "Redmi Note 4G"]);
        circular.CurrentRevisionId.ShouldBe(revisions[1].Id);

        var actions = await fixture.Db(db => db.AuditEvents.Where(e => e.EntityId == circular.Id).OrderBy(e => e.ChainPosition).Select(e => e.Action).ToListAsync());
        actions.ShouldBe(["Drafted", "RuleAdded", "RuleAdded", "AudienceUnitAdded", "SourceAdded", "SourceAdded", "Submitted", "Approved", "Published",
            "AmendmentStarted", "SourceAdded", "AmendmentSubmitted", "Approved", "Published"]);
    }

    [Fact]
    public async Task Staff_read_the_published_demo_circular_with_its_family_summary()
    {
        var id = (await CircularAsync(DemoData.PublishedCircularTitle)).Id;
        var staff = await fixture.SignedInAs(Scenarios.Staff);

        var (response, page) = await staff.GetPageAsync($"/circulars/{id}");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        page.QuerySelector("h1")!.TextContent.ShouldBe(DemoData.PublishedCircularTitle);
        page.QuerySelectorAll("h2").Select(h => h.TextContent).ShouldContain("Family summary");
        page.QuerySelectorAll("h2").Select(h => h.TextContent).ShouldContain("Sources");
    }

    [Fact]
    public async Task The_mi_3_draft_waits_for_the_approver_who_can_publish_it()
    {
        var circular = await CircularAsync(DemoData.CircularAwaitingApprovalTitle);
        var officer = await fixture.Db(db => db.Users.Where(u => u.Email == Scenarios.Officer).Select(u => u.Id).SingleAsync());

        circular.Status.ShouldBe(CircularStatus.InReview);
        circular.SubmittedById.ShouldBe(officer);
        circular.PublicationProblems().ShouldBeEmpty();
        var approver = await fixture.SignedInAs(Scenarios.Approver);
        var (_, page) = await approver.GetPageAsync($"/circulars/{circular.Id}");
        page.QuerySelector($"form[action='/circulars/{circular.Id}/approve']").ShouldNotBeNull();

        var approved = await fixture.TransitionAsync(approver, circular.Id, "approve");

        approved.StatusCode.ShouldBe(HttpStatusCode.Redirect, await approved.Content.ReadAsStringAsync());
        (await CircularAsync(DemoData.CircularAwaitingApprovalTitle)).Status.ShouldBe(CircularStatus.Published);
    }

    [Fact]
    public async Task Loading_the_demo_data_again_adds_no_second_story()
    {
        async Task<(int, int, int, int, int)> CountsAsync() => await fixture.Db(async db => (await db.Circulars.CountAsync(),
            await db.CircularRevisions.CountAsync(), await db.Manufacturers.CountAsync(), await db.DeviceModels.CountAsync(), await db.FirmwareVersions.CountAsync()));
        var before = await CountsAsync();

        await using (var scope = fixture.Factory.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<DemoData>().LoadAsync();

        (await CountsAsync()).ShouldBe(before);
    }
}
