using Portal.Web.Domain;
using Portal.Web.Features.Staleness;

namespace Portal.Tests.Staleness;

/// <summary>The daily digest of stale circulars, driven by the test clock, sent through the real outbox to a real SMTP sink.</summary>
public sealed class StaleDigestTests(DispatchFixture dispatch) : IClassFixture<DispatchFixture>
{
    private PortalFixture Fixture => dispatch.Portal;

    /// <summary>From now to the given hour (UTC) of a day ahead.</summary>
    private TimeSpan Until(int days, int hour)
    {
        var now = Fixture.Clock.GetUtcNow().UtcDateTime;
        return now.Date.AddDays(days).AddHours(hour) - now;
    }

    private Task<List<Notification>> DigestsAsync() =>
        Fixture.Db(db => db.Notifications.AsNoTracking().Where(n => n.Purpose == NotificationPurpose.StaleDigest).OrderBy(n => n.Id).ToListAsync());

    [Fact]
    public async Task The_digest_goes_to_the_security_officers_once_a_day_from_the_configured_hour_and_only_when_something_is_stale()
    {
        // The demo circular's vendor news (a statement and a claim) is taken as considered: nothing is stale to begin with.
        await Fixture.Db(db => db.CaseEvents.Where(e => e.ConsideredInRevision == null).ExecuteUpdateAsync(e => e.SetProperty(x => x.ConsideredInRevision, 1)));
        using (var quiet = dispatch.Travel())
        {
            quiet.Advance(Until(1, 7));
            (await Fixture.SendAsync(new DigestDue.Command())).ShouldBe(new DigestDue.Result(true, 0), "nothing is stale: the day is claimed, nobody is written to");
        }
        (await DigestsAsync()).ShouldBeEmpty();

        var (id, caseId) = await Fixture.PublishedNamingXiaomiAsync("Digest of stale circulars");
        await Fixture.StatementAsync(caseId, "A statement nobody has considered.", isPublic: false);
        var reference = await Fixture.ReferenceNumberAsync(id);
        await dispatch.DispatchAsync();
        dispatch.Smtp.Clear();

        using var travel = dispatch.Travel();
        travel.Advance(Until(2, 5));
        (await Fixture.SendAsync(new DigestDue.Command())).Ran.ShouldBeFalse("before the digest hour");
        travel.Advance(TimeSpan.FromHours(2));
        var first = await Fixture.SendAsync(new DigestDue.Command());
        var second = await Fixture.SendAsync(new DigestDue.Command());

        var officers = await Fixture.Db(db => db.Users.Where(u => u.Email != null && db.UserRoles.Any(ur => ur.UserId == u.Id
            && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Roles.SecurityOfficer))).Select(u => u.Email!).ToListAsync());
        first.ShouldBe(new DigestDue.Result(true, officers.Count));
        second.Ran.ShouldBeFalse("the day's digest has gone");
        var digests = await DigestsAsync();
        digests.Select(n => n.Address).Order().ShouldBe(officers.Order());
        digests.ShouldAllBe(n => n.Channel == NotificationChannel.Email && n.CircularId == null && n.UserId != null);

        await dispatch.DispatchAsync();
        var mail = dispatch.Smtp.Messages().Where(m => m.Recipients.Contains(Scenarios.Officer)).ShouldHaveSingleItem();
        mail.Subject.ShouldBe("Stale circulars: 1");
        mail.Text.ShouldContain(reference);
        mail.Text.ShouldContain("Digest of stale circulars");
        mail.Text.ShouldContain("/circulars/stale");
        mail.Html.ShouldContain($"/circulars/{id}");
        mail.Text.ShouldNotContain("A statement nobody has considered.", Case.Sensitive, "the vendor's words stay in the portal");
        (await DigestsAsync()).ShouldAllBe(n => n.State == NotificationState.Sent);
    }
}
