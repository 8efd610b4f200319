using Portal.Web.Infrastructure.Auth;
using Portal.Web.Domain;
using Portal.Web.Features.Acknowledgements;
using Portal.Web.Features.Circulars;

namespace Portal.Tests;

/// <summary>
/// A staff member acknowledges revision 1 at the moment a material amendment (revision 2, which asks everyone
/// again) is published. Whichever commits first, revision 2 must stay outstanding: nobody has read it.
/// </summary>
public sealed class AcknowledgementRaceTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task An_acknowledgement_racing_a_material_amendment_never_marks_the_new_revision_as_read()
    {
        var staffUser = await fixture.Db(db => db.Users.Where(u => u.Email == Scenarios.Staff).Select(u => u.Id).SingleAsync());
        var approver = await fixture.Db(db => db.Users.Where(u => u.Email == Scenarios.Approver).Select(u => u.Id).SingleAsync());
        var officer = await fixture.SignedInAs(Scenarios.Officer);
        for (var round = 0; round < 6; round++)
        {
            var id = await fixture.PublishedCircularAsync($"Race {round}", TlpLabel.Green, "W1");
            (await fixture.TransitionAsync(officer, id, "amend")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
            (await fixture.TransitionAsync(officer, id, "submit", new() { ["IsAmendment"] = "true", ["ChangeSummary"] = "More models.", ["ChangeKind"] = "Material" }))
                .StatusCode.ShouldBe(HttpStatusCode.Redirect);
            var version = await fixture.VersionAsync(id);

            var acknowledge = Task.Run(async () =>
            {
                try
                {
                    await fixture.SendAsync(new Acknowledge.Command { CircularId = id, Revision = 1 }, CurrentUser.For(staffUser, Roles.Staff));
                    return true;
                }
                catch (DomainException ex)
                {
                    ex.Message.ShouldContain("now at revision 2");
                    return false;
                }
            });
            var approve = Task.Run(() => fixture.SendAsync(new Approve.Command { Id = id, Version = version }, CurrentUser.For(approver, Roles.Approver)));
            await Task.WhenAll(acknowledge, approve);

            var requests = await fixture.Db(db => db.AcknowledgementRequests.AsNoTracking()
                .Where(a => a.CircularId == id && a.DependentId == null && db.StaffMembers.Any(s => s.Id == a.StaffMemberId && s.UserId == staffUser))
                .OrderBy(a => a.RevisionNumber).ToListAsync());
            requests.Select(r => r.RevisionNumber).ShouldBe([1, 2]);
            requests[1].AcknowledgedAt.ShouldBeNull($"round {round}: revision 2 was never read");
            if (await acknowledge)
                requests[0].AcknowledgedRevision.ShouldBe(1);
            else
                requests[0].AcknowledgedAt.ShouldBeNull();
        }
    }
}
