using Microsoft.AspNetCore.Identity;
using Portal.Web.Data;
using Portal.Web.Domain;

namespace Portal.Tests;

/// <summary>Four eyes hold against every editor of the text under review, not only the last one.</summary>
public sealed class FourEyesTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task An_approver_who_edited_an_earlier_version_of_the_text_cannot_approve_it()
    {
        var both = await OfficerAndApproverAsync();
        var officer = await fixture.SignedInAs(Scenarios.Officer);
        var id = await fixture.DraftAsync(officer, "Edited by two hands");
        var edited = await both.PostFormAsync($"/circulars/{id}/edit",
            new(Scenarios.DraftFields(fixture.Clock, "Edited by two hands, first the approver")) { ["Version"] = (await fixture.VersionAsync(id)).ToString() }, $"/circulars/{id}");
        edited.StatusCode.ShouldBe(HttpStatusCode.Redirect, await edited.Content.ReadAsStringAsync());
        var again = await officer.PostFormAsync($"/circulars/{id}/edit",
            new(Scenarios.DraftFields(fixture.Clock, "Edited by two hands, then the officer")) { ["Version"] = (await fixture.VersionAsync(id)).ToString() }, $"/circulars/{id}");
        again.StatusCode.ShouldBe(HttpStatusCode.Redirect, await again.Content.ReadAsStringAsync());
        await fixture.MakePublishableAsync(id);
        (await fixture.TransitionAsync(officer, id, "submit")).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var refused = await fixture.TransitionAsync(both, id, "approve");

        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await refused.PageAsync()).Errors().ShouldContain(e => e.StartsWith("You changed part of this text", StringComparison.Ordinal));
        (await fixture.TransitionAsync(await fixture.SignedInAs(Scenarios.Approver), id, "approve")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    /// <summary>An account holding both roles, enrolled with the demo authenticator key.</summary>
    private async Task<PortalClient> OfficerAndApproverAsync()
    {
        const string email = "both.roles@portal.example";
        await using (var scope = fixture.Factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            var user = new PortalUser { UserName = email, Email = email, DisplayName = "Both Roles", EmailConfirmed = true };
            (await users.CreateAsync(user, DemoData.Password)).Succeeded.ShouldBeTrue();
            (await users.AddToRolesAsync(user, [Roles.SecurityOfficer, Roles.Approver])).Succeeded.ShouldBeTrue();
            await users.SetAuthenticationTokenAsync(user, "[AspNetUserStore]", "AuthenticatorKey", DemoData.AuthenticatorKey);
            (await users.SetTwoFactorEnabledAsync(user, true)).Succeeded.ShouldBeTrue();
        }
        return await fixture.SignedInAs(email);
    }
}
