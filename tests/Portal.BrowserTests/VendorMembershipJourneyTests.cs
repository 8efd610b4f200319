using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Web.Data;
using Portal.Web.Domain;

namespace Portal.BrowserTests;

/// <summary>Joining a vendor organisation: a person asks on a phone, the organisation's administrator approves (issue 9, part 4).</summary>
public sealed class VendorMembershipJourneyTests(BrowserFixture browser) : BrowserTest(browser), IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_vendor_person_asks_to_join_on_a_phone_and_the_organisations_administrator_approves()
    {
        const string email = "hopeful@xiaomi.example";
        await using (var scope = Browser.Factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            var user = new PortalUser { UserName = email, Email = email, DisplayName = "Mira Hopeful", EmailConfirmed = true };
            (await users.CreateAsync(user, DemoData.Password)).Succeeded.ShouldBeTrue();
            (await users.AddToRolesAsync(user, [Roles.Vendor])).Succeeded.ShouldBeTrue();
        }

        var person = await Browser.NewPageAsync(phone: true, javaScript: true);
        await Browser.SignInAsync(person, email);
        await person.GotoAsync("/vendor-membership");
        await person.GetByLabel("Organisation", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Xiaomi" });
        await person.GetByLabel("Note to the organisation's administrator").FillAsync("I answer Xiaomi's security reports.");
        await Layout.ShouldFitAPhoneAsync(person);
        await person.GetByRole(AriaRole.Button, new() { Name = "Ask to join" }).ClickAsync();
        (await person.Locator("[role=status].notice").TextContentAsync())!.ShouldContain("Request sent");
        (await person.Locator("main").TextContentAsync())!.ShouldContain("Xiaomi: Pending");

        var administrator = await Browser.NewPageAsync(phone: true, javaScript: true);
        await Browser.SignInAsync(administrator, "vendor@xiaomi.example");
        await administrator.GotoAsync("/vendor-membership/requests");
        (await administrator.Locator("main").TextContentAsync())!.ShouldContain("I answer Xiaomi's security reports.");
        await Layout.ShouldFitAPhoneAsync(administrator);
        await administrator.GetByRole(AriaRole.Button, new() { Name = "Approve Mira Hopeful" }).ClickAsync();
        (await administrator.Locator("[role=status].notice").TextContentAsync())!.ShouldContain("Approved");
        (await administrator.Locator("main").TextContentAsync())!.ShouldNotContain("Mira Hopeful");

        await using (var scope = Browser.Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            (await db.Users.Where(u => u.Email == email).Select(u => u.VendorOrganisationId).SingleAsync())
                .ShouldBe(await db.VendorOrganisations.Where(v => v.Name == "Xiaomi").Select(v => (Guid?)v.Id).SingleAsync());
        }
        var again = await Browser.NewPageAsync(phone: true);
        await Browser.SignInAsync(again, email);
        await again.GotoAsync("/vendor-membership");
        (await again.Locator("main").TextContentAsync())!.ShouldContain("You belong to Xiaomi.");
    }
}
