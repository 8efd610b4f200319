using Portal.Web.Domain;
using Portal.Web.Features.Acknowledgements;

namespace Portal.Tests;

public sealed class AcknowledgementTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private Task<AcknowledgementRequest> StaffRequestAsync(Guid circular, int revision = 1) => fixture.Db(db =>
        db.AcknowledgementRequests.AsNoTracking().SingleAsync(a => a.CircularId == circular && a.RevisionNumber == revision && a.DependentId == null
            && db.StaffMembers.Any(s => s.Id == a.StaffMemberId && db.Users.Any(u => u.Id == s.UserId && u.Email == Scenarios.Staff))));

    private Task<HttpResponseMessage> AcknowledgeAsync(PortalClient staff, Guid id, int revision) =>
        staff.PostFormAsync($"/circulars/{id}/acknowledge", new() { ["Revision"] = revision.ToString() }, $"/circulars/{id}");

    private async Task<(Guid Circular, Guid Dependent, string Token)> FamilyLinkAsync(string language = "en")
    {
        var id = await fixture.PublishedCircularAsync("Family notice " + Guid.NewGuid().ToString("N")[..6], TlpLabel.Green, "AC", families: true);
        var dependent = await fixture.Db(db => db.AcknowledgementRequests.Where(a => a.CircularId == id && a.DependentId != null)
            .Where(a => db.Dependents.Any(d => d.Id == a.DependentId && d.PreferredLanguage == language))
            .Select(a => a.DependentId!.Value).FirstAsync());
        var links = fixture.Factory.Services.GetRequiredService<FamilyLinks>();
        return (id, dependent, links.CreateToken(id, 1, dependent));
    }

    private Task<AcknowledgementRequest> DependentRequestAsync(Guid circular, Guid dependent, int revision = 1) => fixture.Db(db =>
        db.AcknowledgementRequests.AsNoTracking().SingleAsync(a => a.CircularId == circular && a.DependentId == dependent && a.RevisionNumber == revision));

    [Fact]
    public async Task Staff_acknowledge_the_revision_they_read_once()
    {
        var id = await fixture.PublishedCircularAsync("Please acknowledge", TlpLabel.Green, "W1");
        var staff = await fixture.SignedInAs(Scenarios.Staff);
        var (_, page) = await staff.GetPageAsync($"/circulars/{id}");
        page.QuerySelector(".ack-box button")!.TextContent.ShouldContain("revision 1");

        (await AcknowledgeAsync(staff, id, 1)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var first = await StaffRequestAsync(id);
        first.AcknowledgedAt.ShouldNotBeNull();
        first.AcknowledgedRevision.ShouldBe(1);
        first.Channel.ShouldBe(AcknowledgementChannel.Portal);

        (await AcknowledgeAsync(staff, id, 1)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await StaffRequestAsync(id)).AcknowledgedAt.ShouldBe(first.AcknowledgedAt);
        (await staff.GetPageAsync($"/circulars/{id}")).Page.QuerySelector(".ack-box")!.TextContent.ShouldContain("You acknowledged revision 1");
    }

    [Fact]
    public async Task Acknowledging_a_revision_that_is_no_longer_current_is_refused()
    {
        var id = await fixture.PublishedCircularAsync("Amended before you clicked", TlpLabel.Green, "W1");
        var officer = await fixture.SignedInAs(Scenarios.Officer);
        (await fixture.TransitionAsync(officer, id, "amend")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await fixture.TransitionAsync(officer, id, "submit", new() { ["IsAmendment"] = "true", ["ChangeSummary"] = "Typo.", ["ChangeKind"] = "Minor" })).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await fixture.TransitionAsync(await fixture.SignedInAs(Scenarios.Approver), id, "approve")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var staff = await fixture.SignedInAs(Scenarios.Staff);

        var stale = await AcknowledgeAsync(staff, id, 1);

        stale.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await stale.PageAsync()).Body!.TextContent.ShouldContain("now at revision 2");
        (await StaffRequestAsync(id)).AcknowledgedAt.ShouldBeNull();
        (await AcknowledgeAsync(staff, id, 2)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await StaffRequestAsync(id)).AcknowledgedRevision.ShouldBe(2);
    }

    [Fact]
    public async Task Staff_outside_the_audience_are_told_there_is_nothing_to_acknowledge()
    {
        var id = await fixture.PublishedCircularAsync("For wing 2", TlpLabel.Green, "W2");
        var staff = await fixture.SignedInAs(Scenarios.Staff);
        (await staff.GetPageAsync($"/circulars/{id}")).Page.QuerySelector(".ack-box").ShouldBeNull();

        var response = await AcknowledgeAsync(staff, id, 1);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.PageAsync()).Body!.TextContent.ShouldContain("your unit is not in its audience");
    }

    [Fact]
    public async Task A_family_member_reads_the_family_summary_and_acknowledges_once_through_the_link()
    {
        var (id, dependent, token) = await FamilyLinkAsync();
        var anonymous = fixture.Client();

        var (response, page) = await anonymous.GetPageAsync($"/family/{token}");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        page.QuerySelector(".family-summary")!.TextContent.ShouldContain("Please do not use a Model X phone");
        page.Body!.TextContent.ShouldNotContain("Stop using the phone for any official purpose");

        var posted = await anonymous.Http.PostAsync($"/family/{token}", null);
        posted.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        posted.Headers.Location!.OriginalString.ShouldBe($"/family/{token}", "the token is case-sensitive");
        var acknowledged = await DependentRequestAsync(id, dependent);
        acknowledged.AcknowledgedAt.ShouldNotBeNull();
        acknowledged.Channel.ShouldBe(AcknowledgementChannel.FamilyLink);
        acknowledged.AcknowledgedRevision.ShouldBe(1);

        (await anonymous.Http.PostAsync($"/family/{token}", null)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await DependentRequestAsync(id, dependent)).AcknowledgedAt.ShouldBe(acknowledged.AcknowledgedAt);
        (await anonymous.GetPageAsync($"/family/{token}")).Page.QuerySelector("[role=status]")!.TextContent.ShouldNotBeEmpty();
    }

    [Fact]
    public async Task A_family_member_who_chose_hindi_gets_the_page_in_hindi()
    {
        var (_, _, token) = await FamilyLinkAsync("hi");

        var (_, page) = await fixture.Client().GetPageAsync($"/family/{token}");

        page.DocumentElement.GetAttribute("lang").ShouldBe("hi");
        page.QuerySelector(".family button")!.TextContent.ShouldBe("मैंने यह सूचना पढ़ ली है");
    }

    [Fact]
    public async Task A_forged_or_tampered_family_link_is_refused_with_a_clear_page()
    {
        var (id, dependent, token) = await FamilyLinkAsync();
        var tampered = token[..^4] + (token[^4] == 'A' ? "BBBB" : "AAAA");
        var anonymous = fixture.Client();

        foreach (var bad in new[] { tampered, "not-a-token", "%2F%2E%2E" })
        {
            var (response, page) = await anonymous.GetPageAsync($"/family/{bad}");
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            page.QuerySelector("[role=alert]")!.TextContent.ShouldContain("This link is not valid");
            (await anonymous.Http.PostAsync($"/family/{bad}", null)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        }
        (await DependentRequestAsync(id, dependent)).AcknowledgedAt.ShouldBeNull();
    }

    [Fact]
    public async Task An_expired_family_link_is_refused_and_changes_nothing()
    {
        var (id, dependent, token) = await FamilyLinkAsync();
        fixture.Factory.Clock.Advance(TimeSpan.FromDays(31));
        try
        {
            var anonymous = fixture.Client();
            var (response, page) = await anonymous.GetPageAsync($"/family/{token}");
            response.StatusCode.ShouldBe(HttpStatusCode.Gone);
            page.QuerySelector("[role=alert]")!.TextContent.ShouldContain("expired");
            await anonymous.Http.PostAsync($"/family/{token}", null);
        }
        finally
        {
            fixture.Factory.Clock.Advance(TimeSpan.FromDays(-31));
        }
        (await DependentRequestAsync(id, dependent)).AcknowledgedAt.ShouldBeNull();
    }

    [Fact]
    public async Task After_a_material_amendment_the_old_family_link_no_longer_acknowledges()
    {
        var (id, dependent, token) = await FamilyLinkAsync();
        var officer = await fixture.SignedInAs(Scenarios.Officer);
        (await fixture.TransitionAsync(officer, id, "amend")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await fixture.TransitionAsync(officer, id, "submit", new() { ["IsAmendment"] = "true", ["ChangeSummary"] = "More models.", ["ChangeKind"] = "Material" })).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await fixture.TransitionAsync(await fixture.SignedInAs(Scenarios.Approver), id, "approve")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var anonymous = fixture.Client();

        (await anonymous.GetPageAsync($"/family/{token}")).Page.QuerySelector("[role=alert]")!.TextContent.ShouldContain("updated");
        await anonymous.Http.PostAsync($"/family/{token}", null);

        (await DependentRequestAsync(id, dependent, 1)).AcknowledgedAt.ShouldBeNull();
        (await DependentRequestAsync(id, dependent, 2)).AcknowledgedAt.ShouldBeNull();
        var fresh = fixture.Factory.Services.GetRequiredService<FamilyLinks>().CreateToken(id, 2, dependent);
        await anonymous.Http.PostAsync($"/family/{fresh}", null);
        (await DependentRequestAsync(id, dependent, 2)).AcknowledgedRevision.ShouldBe(2);
    }
}
