using Portal.Web.Domain;

namespace Portal.Tests;

/// <summary>Nothing queued for a family member goes out once they are removed or withdraw consent; a changed address is used.</summary>
public sealed class FamilyOutboxTests(DispatchFixture fixture) : IClassFixture<DispatchFixture>
{
    private PortalFixture Portal => fixture.Portal;

    [Fact]
    public async Task Withdrawing_consent_or_removing_a_family_member_cancels_what_is_queued_for_them()
    {
        var staff = await Portal.SignedInAs(Scenarios.Staff);
        await AddFamilyMembersAsync(staff, "withdraws");
        var id = await Portal.PublishedCircularAsync("Queued for families, then withdrawn from", TlpLabel.Green, "SQ110", families: true);
        var family = await FamilyOfStaffWithMailAsync(id, "withdraws");
        var withdrawn = family[0];
        var removed = family[1];

        var change = await staff.PostFormAsync($"/family-members/{withdrawn.Id}", new()
        {
            ["FullName"] = withdrawn.FullName, ["Relationship"] = withdrawn.Relationship, ["Email"] = withdrawn.Email ?? "",
            ["MobileNumber"] = withdrawn.MobileNumber ?? "", ["PreferredLanguage"] = withdrawn.PreferredLanguage, ["ConsentToContact"] = "false",
        });
        change.StatusCode.ShouldBe(HttpStatusCode.Redirect, await change.Content.ReadAsStringAsync());
        (await staff.PostFormAsync($"/family-members/{removed.Id}/remove", new(), "/family-members")).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        await fixture.DispatchAsync();

        var outbox = await fixture.OutboxAsync(id);
        var theirs = outbox.Where(n => n.DependentId == withdrawn.Id || n.DependentId == removed.Id).ToList();
        theirs.ShouldNotBeEmpty();
        theirs.ShouldAllBe(n => n.State == NotificationState.Failed && n.LastError!.StartsWith("Not sent: the family member"));
        fixture.Smtp.MessagesFor(theirs.Select(n => n.Id)).ShouldBeEmpty();
    }

    [Fact]
    public async Task The_dispatcher_checks_consent_and_the_address_again_when_it_claims_a_message()
    {
        await AddFamilyMembersAsync(await Portal.SignedInAs(Scenarios.Staff), "rechecked");
        var id = await Portal.PublishedCircularAsync("Checked again at sending", TlpLabel.Green, "SQ110", families: true);
        var family = await FamilyOfStaffWithMailAsync(id, "rechecked");
        var noLonger = family[0];
        var moved = family[1];
        // Changed behind the pages' back (an import, another instance): only the check at claim time can see it.
        await Portal.Db(async db =>
        {
            await db.Dependents.Where(d => d.Id == noLonger.Id).ExecuteUpdateAsync(s => s.SetProperty(d => d.ConsentToContact, false));
            await db.Dependents.Where(d => d.Id == moved.Id).ExecuteUpdateAsync(s => s.SetProperty(d => d.Email, "moved@family.example"));
            return 0;
        });

        await fixture.DispatchAsync();

        var outbox = await fixture.OutboxAsync(id);
        var refused = outbox.Where(n => n.DependentId == noLonger.Id && n.Channel == NotificationChannel.Email).ToList();
        refused.ShouldAllBe(n => n.State == NotificationState.Failed);
        fixture.Smtp.MessagesFor(refused.Select(n => n.Id)).ShouldBeEmpty();
        var readdressed = outbox.Single(n => n.DependentId == moved.Id && n.Channel == NotificationChannel.Email);
        readdressed.State.ShouldBe(NotificationState.Sent);
        readdressed.Address.ShouldBe("moved@family.example");
    }

    private static async Task AddFamilyMembersAsync(PortalClient staff, string tag)
    {
        foreach (var name in new[] { "First", "Second" })
        {
            var added = await staff.PostFormAsync("/family-members", new()
            {
                ["FullName"] = $"{name} {tag}", ["Relationship"] = "Sibling", ["Email"] = $"{name.ToLowerInvariant()}.{tag}@family.example",
                ["MobileNumber"] = "", ["PreferredLanguage"] = "en", ["ConsentToContact"] = "true",
            });
            added.StatusCode.ShouldBe(HttpStatusCode.Redirect, await added.Content.ReadAsStringAsync());
        }
    }

    /// <summary>The two family members added by the test, each with an e-mail message queued for the circular.</summary>
    private Task<List<Dependent>> FamilyOfStaffWithMailAsync(Guid circularId, string tag) => Portal.Db(db =>
        db.Dependents.AsNoTracking()
            .Where(d => d.FullName.EndsWith(" " + tag)
                && db.Notifications.Any(n => n.CircularId == circularId && n.DependentId == d.Id && n.Channel == NotificationChannel.Email && n.State == NotificationState.Pending))
            .OrderBy(d => d.FullName).ToListAsync());
}
