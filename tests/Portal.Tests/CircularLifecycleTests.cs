using Portal.Web.Domain;

namespace Portal.Tests;

public sealed class CircularLifecycleTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task Officer_submits_and_approver_publishes_with_a_yearly_reference_number()
    {
        var id = await fixture.PublishedCircularAsync("Model X leaks contacts");

        var circular = await fixture.Db(db => db.Circulars.Include(c => c.CurrentRevision).SingleAsync(c => c.Id == id));
        circular.Status.ShouldBe(CircularStatus.Published);
        circular.ReferenceNumber!.ShouldMatch($@"^SEC/ADV/{DateTime.UtcNow.Year}/\d{{3}}$");
        circular.CurrentRevision!.Number.ShouldBe(1);
        circular.CurrentRevision.Kind.ShouldBe(RevisionKind.Initial);
        circular.CurrentRevision.Rules.ShouldHaveSingleItem().Models.ShouldHaveSingleItem();
        var actions = await fixture.Db(db => db.AuditEvents.Where(e => e.EntityId == id).OrderBy(e => e.ChainPosition).Select(e => e.Action).ToListAsync());
        actions.ShouldBe(["Drafted", "RuleAdded", "AudienceUnitAdded", "Submitted", "Approved", "Published"]);
    }
}
