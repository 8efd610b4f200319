using Portal.Web.Data;
using Portal.Web.Domain;

namespace Portal.Tests;

public sealed class AccountTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task Anonymous_visitors_are_sent_to_sign_in_except_for_health()
    {
        var client = fixture.Client();

        var home = await client.Http.GetAsync("/circulars");
        home.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        home.Headers.Location!.OriginalString.ShouldStartWith("/account/sign-in?");

        (await client.Http.GetAsync("/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var ready = await client.Http.GetAsync("/health/ready");
        ready.StatusCode.ShouldBe(HttpStatusCode.OK);
        // The database check; the dispatcher's backlog (also in this report) depends on how long ago the demo data was seeded.
        var checks = System.Text.Json.JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement.GetProperty("checks");
        checks.EnumerateArray().Single(c => c.GetProperty("name").GetString() == "database").GetProperty("status").GetString().ShouldBe("Healthy");
    }

    [Fact]
    public async Task Staff_member_signs_in_with_password_and_reaches_the_portal()
    {
        var client = fixture.Client();
        var response = await client.PostFormAsync("/account/sign-in",
            new() { ["Email"] = "staff@portal.example", ["Password"] = DemoData.Password, ["ReturnUrl"] = "/circulars" });

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.ShouldBe("/circulars");
        var (page, doc) = await client.GetPageAsync("/circulars");
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        doc.QuerySelector(".who")!.TextContent.ShouldBe("Sgt Pat Staff");
    }

    [Fact]
    public async Task Wrong_password_is_refused_with_a_message_and_the_email_kept()
    {
        var client = fixture.Client();
        var response = await client.PostFormAsync("/account/sign-in",
            new() { ["Email"] = "auditor@portal.example", ["Password"] = "not-the-password" });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var page = await response.PageAsync();
        page.Errors().ShouldContain("The e-mail address or password is not right.");
        page.FieldValue("Email").ShouldBe("auditor@portal.example");
        page.FieldValue("Password").ShouldBeNullOrEmpty();
    }

    [Fact]
    public async Task Return_url_to_another_site_is_ignored()
    {
        var client = fixture.Client();
        var response = await client.PostFormAsync("/account/sign-in",
            new() { ["Email"] = "staff@portal.example", ["Password"] = DemoData.Password, ["ReturnUrl"] = "https://evil.example/" });
        response.Headers.Location!.OriginalString.ShouldBe("/");
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_even_against_the_right_one()
    {
        var email = await CreateUserAsync(Roles.Staff);
        var client = fixture.Client();
        for (var i = 0; i < 5; i++)
            await client.PostFormAsync("/account/sign-in", new() { ["Email"] = email, ["Password"] = "Wrong-password-1" });

        var response = await client.PostFormAsync("/account/sign-in", new() { ["Email"] = email, ["Password"] = DemoData.Password });

        response.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter.ShouldNotBeNull();
        (await response.PageAsync()).Errors().Single().ShouldStartWith("Too many attempts.");
        var lockoutEnd = await fixture.Db(db => db.Users.Where(u => u.Email == email).Select(u => u.LockoutEnd).SingleAsync());
        lockoutEnd.ShouldNotBeNull();
    }

    [Fact]
    public async Task Officer_with_an_authenticator_must_give_a_code_after_the_password()
    {
        var client = fixture.Client();
        var response = await client.PostFormAsync("/account/sign-in",
            new() { ["Email"] = "officer@portal.example", ["Password"] = DemoData.Password });
        response.Headers.Location!.OriginalString.ShouldStartWith("/account/two-factor");

        (await client.Http.GetAsync("/circulars")).StatusCode.ShouldBe(HttpStatusCode.Redirect, "the password alone does not sign in");

        var wrong = await client.PostFormAsync("/account/two-factor", new() { ["Code"] = "000000" });
        wrong.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await wrong.PageAsync()).Errors().Single().ShouldStartWith("That code is not right.");

        var right = await client.PostFormAsync("/account/two-factor",
            new() { ["Code"] = await fixture.Factory.Clock.AuthenticatorCodeAsync("officer@portal.example", DemoData.AuthenticatorKey) });
        right.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await client.Http.GetAsync("/circulars")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData(Roles.SecurityOfficer)]
    [InlineData(Roles.Approver)]
    [InlineData(Roles.Administrator)]
    public async Task Roles_that_need_two_factor_reach_nothing_before_enrolling(string role)
    {
        var email = await CreateUserAsync(role);
        var client = fixture.Client();
        await client.SignInAsync(email);

        foreach (var url in new[] { "/", "/circulars", "/circulars/new", "/admin/users" })
        {
            var response = await client.Http.GetAsync(url);
            response.StatusCode.ShouldBe(HttpStatusCode.Redirect, url);
            response.Headers.Location!.OriginalString.ShouldBe("/account/two-factor-setup", url);
        }

        var (setup, page) = await client.GetPageAsync("/account/two-factor-setup");
        setup.StatusCode.ShouldBe(HttpStatusCode.OK);
        page.QuerySelector(".qr svg").ShouldNotBeNull();
        var key = page.QuerySelector("#authenticator-key")!.TextContent.Replace(" ", "");

        var wrong = await client.PostFormAsync("/account/two-factor-setup", new() { ["Code"] = "123456" });
        wrong.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var again = await wrong.PageAsync();
        again.Errors().Single().ShouldStartWith("That code does not match.");
        again.QuerySelector("#authenticator-key")!.TextContent.Replace(" ", "").ShouldBe(key, "the same key is shown again");

        var enrolled = await client.PostFormAsync("/account/two-factor-setup",
            new() { ["Code"] = await fixture.Factory.Clock.AuthenticatorCodeAsync(email, key) });
        enrolled.Headers.Location!.OriginalString.ShouldBe("/account/recovery-codes");
        var (_, codes) = await client.GetPageAsync("/account/recovery-codes");
        codes.QuerySelectorAll(".codes li").Length.ShouldBe(10);
        (await client.Http.GetAsync("/circulars")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await fixture.Db(db => db.Users.Where(u => u.Email == email).Select(u => u.TwoFactorEnabled).SingleAsync())).ShouldBeTrue();
    }

    [Fact]
    public async Task Staff_need_no_second_factor()
    {
        var client = await fixture.SignedInAs(await CreateUserAsync(Roles.Staff));
        (await client.Http.GetAsync("/circulars")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Sign_out_ends_the_session()
    {
        var client = await fixture.SignedInAs("staff@portal.example");
        var response = await client.PostFormAsync("/account/sign-out", new(), formPage: "/circulars");
        response.Headers.Location!.OriginalString.ShouldBe("/account/sign-in");
        (await client.Http.GetAsync("/circulars")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task A_post_without_the_antiforgery_token_is_refused_with_a_clear_page()
    {
        var client = fixture.Client();
        var response = await client.Http.PostAsync("/account/sign-in",
            new FormUrlEncodedContent([new("Email", "staff@portal.example"), new("Password", DemoData.Password)]));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var page = await response.PageAsync();
        page.QuerySelector("h1")!.TextContent.ShouldBe("The request could not be accepted");
        var cookies = response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [];
        cookies.ShouldNotContain(c => c.StartsWith("portal.auth", StringComparison.Ordinal), "no session was started");
    }

    private async Task<string> CreateUserAsync(string role)
    {
        var email = $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@portal.example";
        var admin = await fixture.SignedInAs("admin@portal.example");
        var unit = await fixture.Db(db => db.Units.Where(u => u.Code == "SQ110").Select(u => u.Id).SingleAsync());
        var fields = new List<KeyValuePair<string, string>>
        {
            new("Email", email), new("Password", DemoData.Password), new("DisplayName", "Test " + role), new("Roles", role),
        };
        if (role is Roles.Staff or Roles.UnitCommander) fields.Add(new("UnitId", unit.ToString()));
        var response = await admin.PostFormAsync("/admin/users/new", fields, "/admin/users/new");
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        return email;
    }
}
