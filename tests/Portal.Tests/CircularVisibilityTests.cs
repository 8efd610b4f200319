using Portal.Web.Domain;

namespace Portal.Tests;

/// <summary>TLP, audience and role decide who reads a circular; whoever may not gets a 404 and no list entry.</summary>
public sealed class CircularVisibilityTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private async Task<bool> SeesAsync(string email, Guid id)
    {
        var client = await fixture.SignedInAs(email);
        var (response, _) = await client.GetPageAsync($"/circulars/{id}");
        var (_, list) = await client.GetPageAsync("/circulars");
        var listed = list.QuerySelector($"a[href='/circulars/{id}']") is not null;
        listed.ShouldBe(response.StatusCode == HttpStatusCode.OK, $"{email}: the page answered {(int)response.StatusCode} but the list {(listed ? "shows" : "hides")} it");
        if (response.StatusCode != HttpStatusCode.OK)
            response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        return response.StatusCode == HttpStatusCode.OK;
    }

    [Fact]
    public async Task Clear_and_green_circulars_reach_all_staff_but_not_an_unconcerned_vendor()
    {
        var clear = await fixture.PublishedCircularAsync("Clear for everyone", TlpLabel.Clear, "W2");
        var green = await fixture.PublishedCircularAsync("Green for all staff", TlpLabel.Green, "W2");

        foreach (var id in new[] { clear, green })
        {
            (await SeesAsync(Scenarios.Staff, id)).ShouldBeTrue();
            (await SeesAsync(Scenarios.Commander, id)).ShouldBeTrue();
            (await SeesAsync(Scenarios.Vendor, id)).ShouldBeFalse();
        }
    }

    [Fact]
    public async Task Amber_and_red_circulars_reach_only_staff_of_a_unit_in_the_audience()
    {
        var otherWing = await fixture.PublishedCircularAsync("Amber for wing 2", TlpLabel.Amber, "W2");
        var ownWing = await fixture.PublishedCircularAsync("Amber for wing 1", TlpLabel.Amber, "W1");
        var ownSquadron = await fixture.PublishedCircularAsync("Red for squadron 110", TlpLabel.Red, "SQ110");

        (await SeesAsync(Scenarios.Staff, otherWing)).ShouldBeFalse();
        (await SeesAsync(Scenarios.Commander, otherWing)).ShouldBeFalse();
        (await SeesAsync(Scenarios.Staff, ownWing)).ShouldBeTrue();
        (await SeesAsync(Scenarios.Commander, ownWing)).ShouldBeTrue();
        (await SeesAsync(Scenarios.Staff, ownSquadron)).ShouldBeTrue();
        (await SeesAsync(Scenarios.Commander, ownSquadron)).ShouldBeFalse();
        (await SeesAsync(Scenarios.Auditor, otherWing)).ShouldBeTrue();
        (await SeesAsync(Scenarios.Vendor, ownSquadron)).ShouldBeFalse();
    }

    [Fact]
    public async Task Drafts_and_circulars_in_review_are_for_officers_and_approvers_only()
    {
        var officer = await fixture.SignedInAs(Scenarios.Officer);
        var draft = await fixture.DraftAsync(officer, "Still a draft");

        (await SeesAsync(Scenarios.Officer, draft)).ShouldBeTrue();
        (await SeesAsync(Scenarios.Approver, draft)).ShouldBeTrue();
        (await SeesAsync(Scenarios.Staff, draft)).ShouldBeFalse();
        (await SeesAsync(Scenarios.Auditor, draft)).ShouldBeFalse();
        (await SeesAsync(Scenarios.Vendor, draft)).ShouldBeFalse();
    }

    [Fact]
    public async Task A_vendor_sees_published_circulars_naming_its_products_without_internal_notes()
    {
        var officer = await fixture.SignedInAs(Scenarios.Officer);
        var id = await fixture.DraftAsync(officer, "Names the vendor's phone", TlpLabel.Amber);
        var fields = Scenarios.DraftFields(fixture.Clock, "Names the vendor's phone", TlpLabel.Amber);
        fields["InternalNotes"] = "Source is a liaison officer; do not share.";
        fields["Version"] = (await fixture.VersionAsync(id)).ToString();
        (await officer.PostFormAsync($"/circulars/{id}/edit", fields)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        await fixture.MakePublishableAsync(id, "W1");
        await fixture.Db(async db =>
        {
            var now = fixture.Clock.GetUtcNow();
            var vendor = await db.Users.SingleAsync(u => u.Email == Scenarios.Vendor);
            var maker = Manufacturer.Create("Vendor's Own Brand", [], vendor.VendorOrganisationId, now);
            db.Manufacturers.Add(maker);
            var circular = await db.Circulars.Include(c => c.Rules).SingleAsync(c => c.Id == id);
            circular.AddRule(maker.Id, null, "Phone 9*", [], null, RuleAction.Restricted, null, circular.CreatedById, now);
            await db.SaveChangesAsync();
            return true;
        });
        (await fixture.TransitionAsync(officer, id, "submit")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await fixture.TransitionAsync(await fixture.SignedInAs(Scenarios.Approver), id, "approve")).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        (await SeesAsync(Scenarios.Vendor, id)).ShouldBeTrue();
        var vendorPage = await (await fixture.SignedInAs(Scenarios.Vendor)).GetPageAsync($"/circulars/{id}");
        vendorPage.Page.Body!.TextContent.ShouldNotContain("liaison officer");
        vendorPage.Page.QuerySelector(".history").ShouldBeNull();
        // Internal notes are the security unit's: auditors read them, staff do not (issue 11).
        var staffPage = await (await fixture.SignedInAs(Scenarios.Staff)).GetPageAsync($"/circulars/{id}");
        staffPage.Page.Body!.TextContent.ShouldNotContain("liaison officer");
        var auditorPage = await (await fixture.SignedInAs(Scenarios.Auditor)).GetPageAsync($"/circulars/{id}");
        auditorPage.Page.Body!.TextContent.ShouldContain("liaison officer");
    }

    [Fact]
    public async Task Staff_read_the_published_revision_not_the_amendment_in_progress()
    {
        var id = await fixture.PublishedCircularAsync("Published text", TlpLabel.Green);
        var officer = await fixture.SignedInAs(Scenarios.Officer);
        (await fixture.TransitionAsync(officer, id, "amend")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var fields = Scenarios.DraftFields(fixture.Clock, "Unapproved new text", TlpLabel.Red);
        fields["Version"] = (await fixture.VersionAsync(id)).ToString();
        (await officer.PostFormAsync($"/circulars/{id}/edit", fields)).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var staff = await fixture.SignedInAs(Scenarios.Staff);
        var (response, page) = await staff.GetPageAsync($"/circulars/{id}");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        page.QuerySelector("h1")!.TextContent.ShouldBe("Published text");
        page.Body!.TextContent.ShouldNotContain("Unapproved new text");
        (await staff.GetPageAsync("/circulars")).Page.Body!.TextContent.ShouldNotContain("Unapproved new text");
    }

    [Fact]
    public async Task The_circular_pages_compiled_head_for_staff_answers_what_the_head_through_VisibleTo_answers_for_every_unit_and_circular()
    {
        await fixture.PublishedCircularAsync("Head: clear", TlpLabel.Clear, "W2");
        await fixture.PublishedCircularAsync("Head: green", TlpLabel.Green, "W2");
        await fixture.PublishedCircularAsync("Head: amber for wing 1", TlpLabel.Amber, "W1");
        await fixture.PublishedCircularAsync("Head: red for squadron 110", TlpLabel.Red, "SQ110");
        var relabelled = await fixture.PublishedWithAsync(Scenarios.DraftFields(fixture.Clock, "Head: amber first, clear later", TlpLabel.Amber), audienceUnitCode: "W3");
        await fixture.AmendAsync(relabelled, "Relabelled for everyone", Scenarios.DraftFields(fixture.Clock, "Head: amber first, clear later", TlpLabel.Clear));
        // Every circular in the database (the demo's drafts and published ones too), for a reader in every unit and one in none.
        var ids = await fixture.Db(db => db.Circulars.Select(c => c.Id).ToListAsync());
        var ancestries = (await fixture.Db(db => db.Units.Select(u => u.Path).ToListAsync()))
            .Select(path => path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Guid.Parse).ToArray()).Append([]).ToList();

        static string Describe(Portal.Web.Features.Circulars.Details.Head? head) => head is null ? "not visible" :
            $"{head.Id} {head.ReferenceNumber} {head.Status} v{head.Version} {head.RevisionId} r{head.CurrentRevisionNumber} {head.FirstPublishedAt:O} {head.ScheduledPublishAt:O} " +
            $"{head.ClosingReason} {head.ClosedAt:O}; openable: {string.Join(", ", head.Openable.OrderBy(r => r.Number).Select(r => $"{r.Number} {r.Id}"))}";
        var answers = new List<string>();
        foreach (var ancestry in ancestries)
        {
            var reader = new Portal.Web.Features.Circulars.Reader(Guid.NewGuid(), ReadsDrafts: false, ReadsAllPublished: false, IsVendorOnly: false, ancestry, []);
            reader.ReadsAsStaff.ShouldBeTrue();
            foreach (var id in ids)
            {
                var (throughVisibleTo, compiled) = await fixture.Db(async db => (
                    await Portal.Web.Features.Circulars.Details.Handler.HeadAsync(db, reader, id, CancellationToken.None),
                    await Portal.Web.Features.Circulars.Details.Handler.StaffHead(db, id, ancestry, CancellationToken.None)));
                Describe(compiled).ShouldBe(Describe(throughVisibleTo), $"circular {id} for a reader under {string.Join("/", ancestry)}");
                answers.Add(Describe(compiled));
            }
        }
        // Both answers occur, and the relabelled circular's AMBER revision is listed for its audience only.
        answers.ShouldContain("not visible");
        answers.ShouldContain(a => a != "not visible");
        var relabelledAnswers = answers.Where(a => a.StartsWith(relabelled.ToString(), StringComparison.Ordinal)).ToList();
        relabelledAnswers.ShouldContain(a => a.Contains("openable: 1 ", StringComparison.Ordinal) && a.Contains(", 2 ", StringComparison.Ordinal));
        relabelledAnswers.ShouldContain(a => a.Contains("openable: 2 ", StringComparison.Ordinal));
    }
}
