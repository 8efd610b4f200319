using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Npgsql;
using Portal.Web.Domain;
using Portal.Web.Features.Circulars;

namespace Portal.Tests;

public sealed class CircularLifecycleTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private Task<Circular> LoadAsync(Guid id) =>
        fixture.Db(db => db.Circulars.AsNoTracking().Include(c => c.CurrentRevision).SingleAsync(c => c.Id == id));

    private Task<List<string>> AuditActionsAsync(Guid id) =>
        fixture.Db(db => db.AuditEvents.Where(e => e.EntityId == id).OrderBy(e => e.ChainPosition).Select(e => e.Action).ToListAsync());

    private async Task<Guid> SubmittedAsync(string title, TlpLabel tlp = TlpLabel.Clear)
    {
        var officer = await fixture.SignedInAs(Scenarios.Officer);
        var id = await fixture.DraftAsync(officer, title, tlp);
        await fixture.MakePublishableAsync(id);
        (await fixture.TransitionAsync(officer, id, "submit")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        return id;
    }

    [Fact]
    public async Task Officer_submits_and_approver_publishes_with_a_yearly_reference_number()
    {
        var id = await fixture.PublishedCircularAsync("Model X leaks contacts");

        var circular = await LoadAsync(id);
        circular.Status.ShouldBe(CircularStatus.Published);
        circular.ReferenceNumber!.ShouldMatch($@"^SEC/ADV/{fixture.Clock.GetUtcNow().Year}/\d{{3}}$");
        circular.CurrentRevision!.Number.ShouldBe(1);
        circular.CurrentRevision.Kind.ShouldBe(RevisionKind.Initial);
        circular.CurrentRevision.Rules.ShouldHaveSingleItem().Models.ShouldHaveSingleItem();
        (await AuditActionsAsync(id)).ShouldBe(["Drafted", "RuleAdded", "AudienceUnitAdded", "Submitted", "Approved", "Published"]);
        var page = await (await fixture.SignedInAs(Scenarios.Staff)).GetPageAsync($"/circulars/{id}");
        page.Page.QuerySelector(".history")!.TextContent.ShouldContain("Alex Approver, approved");
    }

    [Fact]
    public async Task Submitting_an_incomplete_draft_lists_what_is_missing_and_changes_nothing()
    {
        var officer = await fixture.SignedInAs(Scenarios.Officer);
        var id = await fixture.DraftAsync(officer, "No rules yet");

        var response = await fixture.TransitionAsync(officer, id, "submit");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = string.Join(" ", (await response.PageAsync()).Errors());
        errors.ShouldContain("at least one rule");
        errors.ShouldContain("audience");
        (await LoadAsync(id)).Status.ShouldBe(CircularStatus.Draft);
        (await AuditActionsAsync(id)).ShouldBe(["Drafted"]);
    }

    [Fact]
    public async Task The_author_cannot_approve_their_own_circular_even_when_they_are_an_approver()
    {
        await fixture.Db(async db =>
        {
            var users = fixture.Factory.Services.CreateScope().ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            var approver = await users.FindByEmailAsync(Scenarios.Approver);
            (await users.AddToRoleAsync(approver!, Roles.SecurityOfficer)).Succeeded.ShouldBeTrue();
            return true;
        });
        var both = await fixture.SignedInAs(Scenarios.Approver);
        var id = await fixture.DraftAsync(both, "Written and approved by one person?");
        await fixture.MakePublishableAsync(id);
        (await fixture.TransitionAsync(both, id, "submit")).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var response = await fixture.TransitionAsync(both, id, "approve");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.PageAsync()).Errors().ShouldContain(e => e.Contains("you cannot approve it: a second officer must"));
        var circular = await LoadAsync(id);
        circular.Status.ShouldBe(CircularStatus.InReview);
        circular.ReferenceNumber.ShouldBeNull();
        (await fixture.Db(db => db.CircularRevisions.CountAsync(r => r.CircularId == id))).ShouldBe(0);

        await fixture.Db(async db =>
        {
            var users = fixture.Factory.Services.CreateScope().ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            (await users.RemoveFromRoleAsync((await users.FindByEmailAsync(Scenarios.Approver))!, Roles.SecurityOfficer)).Succeeded.ShouldBeTrue();
            return true;
        });
    }

    [Fact]
    public async Task An_officer_without_the_approver_role_cannot_approve()
    {
        var id = await SubmittedAsync("Needs an approver");
        var officer = await fixture.SignedInAs(Scenarios.Officer);

        var response = await fixture.TransitionAsync(officer, id, "approve");

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await LoadAsync(id)).Status.ShouldBe(CircularStatus.InReview);
    }

    [Fact]
    public async Task Two_approvers_approving_at_once_publish_exactly_one_revision()
    {
        var id = await SubmittedAsync("Approved twice at once");
        var first = await fixture.SignedInAs(Scenarios.Approver);
        var second = await fixture.SignedInAs(Scenarios.Approver);
        var version = await fixture.VersionAsync(id);
        var tokens = await Task.WhenAll(first.AntiforgeryTokenAsync($"/circulars/{id}"), second.AntiforgeryTokenAsync($"/circulars/{id}"));

        var responses = await Task.WhenAll(
            Post(first, tokens[0]), Post(second, tokens[1]));

        responses.Count(r => r.StatusCode == HttpStatusCode.Redirect).ShouldBe(1);
        responses.Count(r => r.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.BadRequest).ShouldBe(1);
        (await fixture.Db(db => db.CircularRevisions.CountAsync(r => r.CircularId == id))).ShouldBe(1);
        (await AuditActionsAsync(id)).Count(a => a == "Published").ShouldBe(1);

        Task<HttpResponseMessage> Post(PortalClient client, string token) =>
            client.Http.PostAsync($"/circulars/{id}/approve", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Version"] = version.ToString(),
                ["__RequestVerificationToken"] = token,
            }));
    }

    [Fact]
    public async Task Reference_numbers_are_sequential_and_unique_when_circulars_are_published_together()
    {
        var ids = new List<Guid>();
        for (var i = 0; i < 6; i++)
            ids.Add(await SubmittedAsync($"Published together {i}"));
        var approvers = await Task.WhenAll(ids.Select(_ => fixture.SignedInAs(Scenarios.Approver)));

        var responses = await Task.WhenAll(ids.Select((id, i) => fixture.TransitionAsync(approvers[i], id, "approve")));

        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.Redirect);
        var numbers = await fixture.Db(db => db.Circulars.Where(c => ids.Contains(c.Id)).Select(c => c.ReferenceNumber!).ToListAsync());
        numbers.Distinct().Count().ShouldBe(6);
        var sequence = numbers.Select(n => int.Parse(n.Split('/').Last())).Order().ToList();
        (sequence[^1] - sequence[0]).ShouldBe(5);
    }

    [Fact]
    public async Task A_returned_circular_goes_back_to_its_author_with_the_reason()
    {
        var id = await SubmittedAsync("Needs more evidence");
        var approver = await fixture.SignedInAs(Scenarios.Approver);

        var empty = await fixture.TransitionAsync(approver, id, "return", new() { ["Reason"] = "" });
        empty.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await empty.PageAsync()).Errors().ShouldContain(e => e.Contains("Say why the circular goes back"));

        (await fixture.TransitionAsync(approver, id, "return", new() { ["Reason"] = "Attach the lab report." })).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var circular = await LoadAsync(id);
        circular.Status.ShouldBe(CircularStatus.Draft);
        circular.ReturnReason.ShouldBe("Attach the lab report.");
        var page = await (await fixture.SignedInAs(Scenarios.Officer)).GetPageAsync($"/circulars/{id}");
        page.Page.QuerySelector(".warning")!.TextContent.ShouldContain("Attach the lab report.");
        // The author resubmits unchanged and the same approver may now approve.
        (await fixture.TransitionAsync(await fixture.SignedInAs(Scenarios.Officer), id, "submit")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await fixture.TransitionAsync(approver, id, "approve")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await LoadAsync(id)).Status.ShouldBe(CircularStatus.Published);
    }

    [Fact]
    public async Task A_scheduled_circular_is_published_when_its_time_comes_and_not_before()
    {
        var id = await SubmittedAsync("Publish tomorrow morning");
        var approver = await fixture.SignedInAs(Scenarios.Approver);
        var at = fixture.Factory.Clock.GetUtcNow().AddHours(10);

        var response = await fixture.TransitionAsync(approver, id, "approve", new() { ["PublishAt"] = at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture) });

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await LoadAsync(id)).Status.ShouldBe(CircularStatus.Scheduled);
        await fixture.SendAsync(new PublishDue.Command());
        (await LoadAsync(id)).Status.ShouldBe(CircularStatus.Scheduled);

        fixture.Factory.Clock.Advance(TimeSpan.FromHours(11));
        try
        {
            (await fixture.SendAsync(new PublishDue.Command())).ShouldBeGreaterThanOrEqualTo(1);
        }
        finally
        {
            fixture.Factory.Clock.Advance(TimeSpan.FromHours(-11));
        }
        var published = await LoadAsync(id);
        published.Status.ShouldBe(CircularStatus.Published);
        published.CurrentRevisionNumber.ShouldBe(1);
        (await AuditActionsAsync(id)).ShouldBe(["Drafted", "RuleAdded", "AudienceUnitAdded", "Submitted", "ApprovedScheduled", "Published"]);
        (await fixture.SendAsync(new PublishDue.Command())).ShouldBe(0);
    }

    [Fact]
    public async Task A_publication_time_in_the_past_is_refused()
    {
        var id = await SubmittedAsync("Back to the future");
        var approver = await fixture.SignedInAs(Scenarios.Approver);
        var past = fixture.Factory.Clock.GetUtcNow().AddHours(-2).UtcDateTime.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);

        var response = await fixture.TransitionAsync(approver, id, "approve", new() { ["PublishAt"] = past });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var page = await response.PageAsync();
        page.Errors().ShouldContain(e => e.Contains("The publication time is in the past"));
        page.FieldValue("PublishAt").ShouldBe(past);
        (await LoadAsync(id)).Status.ShouldBe(CircularStatus.InReview);
    }

    [Fact]
    public async Task An_amendment_becomes_a_new_revision_and_readers_see_the_old_one_until_it_is_approved()
    {
        var id = await fixture.PublishedCircularAsync("Original wording", TlpLabel.Green);
        var officer = await fixture.SignedInAs(Scenarios.Officer);
        var approver = await fixture.SignedInAs(Scenarios.Approver);
        var staff = await fixture.SignedInAs(Scenarios.Staff);

        (await fixture.TransitionAsync(officer, id, "amend")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var edit = Scenarios.DraftFields(fixture.Clock, "Amended wording", TlpLabel.Green);
        edit["Version"] = (await fixture.VersionAsync(id)).ToString();
        (await officer.PostFormAsync($"/circulars/{id}/edit", edit)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await staff.GetPageAsync($"/circulars/{id}")).Page.QuerySelector("h1")!.TextContent.ShouldBe("Original wording");

        var withoutSummary = await fixture.TransitionAsync(officer, id, "submit", new() { ["IsAmendment"] = "true" });
        withoutSummary.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await withoutSummary.PageAsync()).Errors().ShouldContain(e => e.Contains("change summary"));
        (await fixture.TransitionAsync(officer, id, "submit", new()
        {
            ["IsAmendment"] = "true", ["ChangeSummary"] = "Title clarified after the vendor's statement.", ["ChangeKind"] = "Material",
        })).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await fixture.TransitionAsync(approver, id, "approve")).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var circular = await LoadAsync(id);
        circular.CurrentRevision!.Number.ShouldBe(2);
        circular.CurrentRevision.Kind.ShouldBe(RevisionKind.Material);
        circular.CurrentRevision.ChangeSummary.ShouldBe("Title clarified after the vendor's statement.");
        var first = await fixture.Db(db => db.CircularRevisions.SingleAsync(r => r.CircularId == id && r.Number == 1));
        first.Text.Title.ShouldBe("Original wording");
        first.ReferenceNumber.ShouldBe(circular.ReferenceNumber!);
        (await staff.GetPageAsync($"/circulars/{id}")).Page.QuerySelector("h1")!.TextContent.ShouldBe("Amended wording");
    }

    [Fact]
    public async Task A_withdrawn_circular_cannot_be_amended()
    {
        var id = await fixture.PublishedCircularAsync("To be withdrawn");
        var officer = await fixture.SignedInAs(Scenarios.Officer);
        (await fixture.TransitionAsync(officer, id, "withdraw", new() { ["Reason"] = "" })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await fixture.TransitionAsync(officer, id, "withdraw", new() { ["Reason"] = "The lab retracted its finding." })).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var response = await fixture.TransitionAsync(officer, id, "amend");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.PageAsync()).Errors().ShouldContain(e => e.Contains("withdrawn; it cannot be amended"));
        var circular = await LoadAsync(id);
        circular.Status.ShouldBe(CircularStatus.Withdrawn);
        circular.Amendment.ShouldBe(AmendmentStatus.None);
        var staffPage = await (await fixture.SignedInAs(Scenarios.Staff)).GetPageAsync($"/circulars/{id}");
        staffPage.Page.QuerySelector(".warning")!.TextContent.ShouldContain("The lab retracted its finding.");
    }

    [Fact]
    public async Task A_superseded_circular_and_its_replacement_link_to_each_other()
    {
        var old = await fixture.PublishedCircularAsync("Old advice");
        var replacement = await fixture.PublishedCircularAsync("New advice");
        var reference = (await LoadAsync(replacement)).ReferenceNumber!;
        var officer = await fixture.SignedInAs(Scenarios.Officer);

        var unknown = await fixture.TransitionAsync(officer, old, "supersede", new() { ["ReplacementReference"] = "SEC/ADV/1999/999", ["Reason"] = "Replaced." });
        unknown.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await unknown.PageAsync()).Errors().ShouldContain("No circular has the reference number SEC/ADV/1999/999.");

        (await fixture.TransitionAsync(officer, old, "supersede", new() { ["ReplacementReference"] = reference, ["Reason"] = "Replaced by broader advice." }))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var staff = await fixture.SignedInAs(Scenarios.Staff);
        (await staff.GetPageAsync($"/circulars/{old}")).Page.QuerySelector($"a[href='/circulars/{replacement}']").ShouldNotBeNull();
        (await staff.GetPageAsync($"/circulars/{replacement}")).Page.QuerySelector($"a[href='/circulars/{old}']").ShouldNotBeNull();
        (await LoadAsync(old)).Status.ShouldBe(CircularStatus.Superseded);
    }

    [Fact]
    public async Task A_stale_page_is_refused_and_the_circular_is_unchanged()
    {
        var id = await SubmittedAsync("Changed under your feet");
        var stale = await fixture.VersionAsync(id);
        var approver = await fixture.SignedInAs(Scenarios.Approver);
        (await fixture.TransitionAsync(approver, id, "return", new() { ["Reason"] = "Fix the title." })).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var officer = await fixture.SignedInAs(Scenarios.Officer);
        (await fixture.TransitionAsync(officer, id, "submit")).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var response = await fixture.TransitionAsync(approver, id, "approve", version: stale);

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await response.PageAsync()).Errors().ShouldContain(e => e.Contains("changed"));
        (await LoadAsync(id)).Status.ShouldBe(CircularStatus.InReview);
    }

    [Fact]
    public async Task Published_revisions_and_the_audit_log_cannot_be_altered_and_the_chain_verifies()
    {
        var id = await fixture.PublishedCircularAsync("Immutable record");

        var revisionUpdate = await Should.ThrowAsync<PostgresException>(() => fixture.Db(db =>
            db.Database.ExecuteSqlAsync($"UPDATE circular_revisions SET title = 'rewritten' WHERE circular_id = {id}")));
        revisionUpdate.MessageText.ShouldContain("immutable");
        await Should.ThrowAsync<PostgresException>(() => fixture.Db(db =>
            db.Database.ExecuteSqlAsync($"DELETE FROM audit_events WHERE entity_id = {id}")));

        var brokenLinks = await fixture.Db(db => db.Database.SqlQuery<long>($"""
            SELECT e.chain_position AS "Value"
            FROM audit_events e
            LEFT JOIN audit_events p ON p.chain_position = e.chain_position - 1
            WHERE e.previous_hash <> coalesce(p.hash, '\x'::bytea)
               OR e.hash <> sha256(e.previous_hash || convert_to(audit_event_text(e.chain_position, e.occurred_at, e.actor_id,
                    e.entity_type, e.entity_id, e.action, e.reason, e.data), 'UTF8'))
            """).ToListAsync());
        brokenLinks.ShouldBeEmpty();
    }
}
