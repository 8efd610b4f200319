using Portal.Web.Data;
using Portal.Web.Domain;

namespace Portal.Tests;

public sealed class AdministrationTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private async Task<Guid> UnitIdAsync(string code) => await fixture.Db(db => db.Units.Where(u => u.Code == code).Select(u => u.Id).SingleAsync());

    [Fact]
    public async Task Administrator_creates_a_commander_with_a_unit()
    {
        var admin = await fixture.SignedInAs("admin@portal.example");
        var wing = await UnitIdAsync("W2");

        var response = await admin.PostFormAsync("/admin/users/new", [
            new("Email", "cdr.two@portal.example"), new("Password", "Another-Passw0rd"), new("DisplayName", "Wg Cdr Two"),
            new("Roles", Roles.UnitCommander), new("Roles", Roles.Staff), new("UnitId", wing.ToString())], "/admin/users/new");

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var roles = await fixture.Db(db => db.UserRoles.Where(ur => db.Users.Any(u => u.Id == ur.UserId && u.Email == "cdr.two@portal.example"))
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name).ToListAsync());
        roles.ShouldBe([Roles.UnitCommander, Roles.Staff], ignoreOrder: true);
        var commander = fixture.Client();
        await commander.SignInAsync("cdr.two@portal.example", "Another-Passw0rd");
        (await commander.Http.GetAsync("/circulars")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Account_rules_are_explained_and_nothing_is_created()
    {
        var admin = await fixture.SignedInAs("admin@portal.example");
        var before = await fixture.Db(db => db.Users.CountAsync());

        var response = await admin.PostFormAsync("/admin/users/new", [
            new("Email", "staff@portal.example"), new("Password", "short"), new("DisplayName", "Duplicate"), new("Roles", Roles.Vendor)], "/admin/users/new");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var page = await response.PageAsync();
        page.Errors().ShouldContain("An account with this e-mail address already exists.");
        page.Errors().ShouldContain("A vendor account needs its vendor organisation.");
        page.FieldValue("DisplayName").ShouldBe("Duplicate");
        (page.QuerySelector("input[name=Roles][value=Vendor]") as AngleSharp.Html.Dom.IHtmlInputElement)!.IsChecked.ShouldBeTrue();
        (await fixture.Db(db => db.Users.CountAsync())).ShouldBe(before);
    }

    [Fact]
    public async Task A_weak_password_is_refused_with_identitys_reasons()
    {
        var admin = await fixture.SignedInAs("admin@portal.example");
        var response = await admin.PostFormAsync("/admin/users/new", [
            new("Email", "weak@portal.example"), new("Password", "alllowercaseletters"), new("DisplayName", "Weak"), new("Roles", Roles.Auditor)], "/admin/users/new");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.PageAsync()).Errors().ShouldContain(e => e.Contains("digit", StringComparison.OrdinalIgnoreCase));
        (await fixture.Db(db => db.Users.AnyAsync(u => u.Email == "weak@portal.example"))).ShouldBeFalse();
    }

    [Fact]
    public async Task Moving_a_wing_moves_its_whole_subtree()
    {
        var admin = await fixture.SignedInAs("admin@portal.example");
        var command = await UnitIdAsync("AC");
        var created = await admin.PostFormAsync("/admin/units/new", new() { ["Name"] = "Second Command", ["Code"] = "SC", ["Kind"] = "Command" });
        created.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var second = await UnitIdAsync("SC");
        var wing = await UnitIdAsync("W3");

        var moved = await admin.PostFormAsync($"/admin/units/{wing}", new()
            { ["Name"] = "3 Wing", ["Code"] = "W3", ["Kind"] = "Wing", ["ParentId"] = second.ToString() });

        moved.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var units = await fixture.Db(db => db.Units.AsNoTracking().ToListAsync());
        var secondCommand = units.Single(u => u.Id == second);
        var squadrons = units.Where(u => u.Code is "SQ310" or "SQ320").ToList();
        squadrons.ShouldAllBe(s => s.Path.StartsWith(secondCommand.Path + wing.ToString("N") + "/"));
        squadrons.ShouldAllBe(s => s.Depth == 2);
        units.Single(u => u.Id == wing).ParentId.ShouldBe(second);
        units.Where(u => u.Path.StartsWith(units.Single(c => c.Id == command).Path)).ShouldNotContain(u => u.Code == "SQ310");
    }

    [Fact]
    public async Task A_unit_cannot_move_under_its_own_subunit()
    {
        var admin = await fixture.SignedInAs("admin@portal.example");
        var wing = await UnitIdAsync("W1");
        var squadron = await UnitIdAsync("SQ110");

        var response = await admin.PostFormAsync($"/admin/units/{wing}", new()
            { ["Name"] = "1 Wing", ["Code"] = "W1", ["Kind"] = "Wing", ["ParentId"] = squadron.ToString() });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.PageAsync()).Errors().ShouldBe(["A unit cannot be moved under itself or one of its own sub-units."]);
    }

    [Fact]
    public async Task Administrator_unlocks_a_locked_out_account()
    {
        var user = await fixture.Db(db => db.Users.SingleAsync(u => u.Email == "auditor@portal.example"));
        await fixture.Db(async db =>
        {
            await db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.LockoutEnd, fixture.Clock.GetUtcNow().AddHours(1)));
            return 0;
        });
        var admin = await fixture.SignedInAs("admin@portal.example");

        var response = await admin.PostFormAsync($"/admin/users/{user.Id}", [
            new("DisplayName", user.DisplayName), new("Roles", Roles.Auditor), new("Unlock", "true")], $"/admin/users/{user.Id}");

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var auditor = await fixture.SignedInAs("auditor@portal.example");
        (await auditor.Http.GetAsync("/circulars")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("officer@portal.example")]
    [InlineData("staff@portal.example")]
    [InlineData("vendor@xiaomi.example")]
    public async Task Only_administrators_reach_administration(string email)
    {
        var client = await fixture.SignedInAs(email);
        foreach (var url in new[] { "/admin/users", "/admin/users/new", "/admin/units", "/admin/vendors" })
            (await client.Http.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.Forbidden, url);
    }

    [Fact]
    public async Task Vendor_organisations_are_created_once()
    {
        var admin = await fixture.SignedInAs("admin@portal.example");
        var response = await admin.PostFormAsync("/admin/vendors/new", new() { ["Name"] = "Xiaomi", ["ContactEmail"] = "not an address" });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await response.PageAsync()).Errors();
        errors.ShouldContain("A vendor organisation with this name already exists.");
        errors.ShouldContain(e => e.StartsWith("Enter a contact e-mail address", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Loading_the_demo_data_again_keeps_what_users_changed()
    {
        await fixture.Db(async db =>
        {
            await db.Users.Where(u => u.Email == "staff@portal.example").ExecuteUpdateAsync(s => s.SetProperty(u => u.DisplayName, "Renamed by admin"));
            return 0;
        });
        var counts = await fixture.Db(async db => (await db.Users.CountAsync(), await db.Units.CountAsync(), await db.StaffMembers.CountAsync(), await db.Dependents.CountAsync()));

        await using (var scope = fixture.Factory.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<DemoData>().LoadAsync();

        (await fixture.Db(async db => (await db.Users.CountAsync(), await db.Units.CountAsync(), await db.StaffMembers.CountAsync(), await db.Dependents.CountAsync())))
            .ShouldBe(counts);
        (await fixture.Db(db => db.Users.Where(u => u.Email == "staff@portal.example").Select(u => u.DisplayName).SingleAsync())).ShouldBe("Renamed by admin");
    }
}
