using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Infrastructure.Web;

namespace Portal.Tests;

/// <summary>Sessions that really end, the sign-in doors, headers for a proxy, and what each reader may see (issue 11).</summary>
public sealed class SessionAndLeakTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    [Theory]
    [InlineData("admin@portal.example")]
    [InlineData(Scenarios.Officer)]
    [InlineData(Scenarios.Approver)]
    [InlineData(Scenarios.Commander)]
    [InlineData(Scenarios.Staff)]
    [InlineData(Scenarios.Vendor)]
    [InlineData(Scenarios.Auditor)]
    public async Task A_cookie_saved_before_sign_out_gets_nothing_afterwards(string email)
    {
        var jar = new System.Net.CookieContainer();
        var client = new PortalClient(fixture.Factory.CreateDefaultClient(new Uri("http://localhost"), new CookieContainerHandler(jar)), fixture.Factory.Clock);
        await client.SignInAsync(email);
        var saved = jar.GetCookies(new Uri("http://localhost"))["portal.auth"]!.Value;
        var thief = fixture.Factory.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        thief.DefaultRequestHeaders.Add("Cookie", "portal.auth=" + saved);
        (await thief.GetAsync("/circulars")).StatusCode.ShouldBe(HttpStatusCode.OK, "the saved cookie works before sign-out");

        (await client.PostFormAsync("/account/sign-out", new(), formPage: "/account/two-factor-setup")).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var after = await thief.GetAsync("/circulars");
        after.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        after.Headers.Location!.OriginalString.ShouldStartWith("/account/sign-in");
    }

    [Fact]
    public async Task The_two_factor_page_never_shows_an_enrolled_key_and_new_recovery_codes_need_the_password()
    {
        var officer = await fixture.SignedInAs(Scenarios.Approver);
        var (_, page) = await officer.GetPageAsync("/account/two-factor-setup");
        page.Body!.TextContent.ShouldNotContain(DemoData.AuthenticatorKey.ToLowerInvariant()[..4] + " " + DemoData.AuthenticatorKey.ToLowerInvariant()[4..8]);
        page.QuerySelector("#authenticator-key").ShouldBeNull();

        var code = await fixture.Factory.Clock.AuthenticatorCodeAsync(Scenarios.Approver, DemoData.AuthenticatorKey);
        var refused = await officer.PostFormAsync("/account/two-factor-setup", new() { ["Code"] = code });
        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await refused.PageAsync()).Errors().ShouldContain(e => e.StartsWith("Enter your password", StringComparison.Ordinal));

        var accepted = await officer.PostFormAsync("/account/two-factor-setup", new() { ["Code"] = code, ["Password"] = DemoData.Password });
        accepted.StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task A_recovery_code_is_accepted_at_the_code_step_once()
    {
        var codes = await WithUsers(async users =>
            (await users.GenerateNewTwoFactorRecoveryCodesAsync((await users.FindByEmailAsync("admin@portal.example"))!, 2))!.ToList());
        var client = fixture.Client();
        (await client.PostFormAsync("/account/sign-in", new() { ["Email"] = "admin@portal.example", ["Password"] = DemoData.Password }))
            .Headers.Location!.OriginalString.ShouldStartWith("/account/two-factor");

        var signedIn = await client.PostFormAsync("/account/two-factor", new() { ["Code"] = codes[0] });

        signedIn.StatusCode.ShouldBe(HttpStatusCode.Redirect, await signedIn.Content.ReadAsStringAsync());
        (await client.Http.GetAsync("/admin/users")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var again = fixture.Client();
        await again.PostFormAsync("/account/sign-in", new() { ["Email"] = "admin@portal.example", ["Password"] = DemoData.Password });
        (await again.PostFormAsync("/account/two-factor", new() { ["Code"] = codes[0] })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Wrong_password_and_unknown_account_read_the_same_and_both_are_limited_per_account()
    {
        var client = fixture.Client();
        var known = await client.PostFormAsync("/account/sign-in", new() { ["Email"] = Scenarios.Auditor, ["Password"] = "Not-the-password-1" });
        var unknown = await client.PostFormAsync("/account/sign-in", new() { ["Email"] = "nobody-at-all@portal.example", ["Password"] = "Not-the-password-1" });
        known.StatusCode.ShouldBe(unknown.StatusCode);
        (await known.PageAsync()).Errors().ShouldBe((await unknown.PageAsync()).Errors());

        HttpResponseMessage last = unknown;
        for (var i = 1; i < AccountThrottle.Limit; i++)
            last = await client.PostFormAsync("/account/sign-in", new() { ["Email"] = "nobody-at-all@portal.example", ["Password"] = "Not-the-password-1" });

        last.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        last.Headers.RetryAfter!.Delta!.Value.ShouldBeGreaterThan(TimeSpan.Zero);
        (await last.PageAsync()).Errors().Single().ShouldStartWith("Too many attempts.");
    }

    [Fact]
    public async Task The_anonymous_doors_answer_429_with_retry_after_past_the_limit_per_address()
    {
        await using var limited = fixture.Factory.WithWebHostBuilder(b => b.UseSetting(Hardening.PerMinuteSetting, "3"));
        var http = limited.CreateClient(new() { AllowAutoRedirect = false });
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 5; i++)
            answers.Add(await http.GetAsync("/family/not-a-token"));

        answers.Take(3).ShouldAllBe(r => r.StatusCode == HttpStatusCode.BadRequest);
        answers[^1].StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        answers[^1].Headers.RetryAfter.ShouldNotBeNull();
    }

    [Fact]
    public async Task The_sign_in_redirect_never_comes_from_the_Host_header()
    {
        var http = fixture.Factory.CreateClient(new() { AllowAutoRedirect = false });
        var request = new HttpRequestMessage(HttpMethod.Get, "/circulars?q=x");
        request.Headers.Host = "evil.example";
        var response = await http.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.ShouldNotContain("evil.example");
        response.Headers.Location.OriginalString.ShouldStartWith("/account/sign-in?ReturnUrl=");
    }

    [Fact]
    public async Task Cookies_are_Secure_when_the_public_address_is_https()
    {
        await using var behindProxy = fixture.Factory.WithWebHostBuilder(b => b.UseSetting("Portal:BaseUrl", "https://portal.example"));
        var client = new PortalClient(behindProxy.CreateClient(new() { AllowAutoRedirect = false }), fixture.Factory.Clock);
        var token = await client.AntiforgeryTokenAsync("/account/sign-in");
        var response = await client.Http.PostAsync("/account/sign-in", new FormUrlEncodedContent(
            [new("Email", Scenarios.Staff), new("Password", DemoData.Password), new("__RequestVerificationToken", token)]));

        response.Headers.GetValues("Set-Cookie").Where(c => c.StartsWith("portal.auth=", StringComparison.Ordinal))
            .ShouldAllBe(c => c.Contains("secure", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Pages_forbid_device_features_and_the_API_and_family_pages_are_never_cached()
    {
        var staff = await fixture.SignedInAs(Scenarios.Staff);
        var page = await staff.Http.GetAsync("/circulars");
        page.Headers.GetValues("Permissions-Policy").Single().ShouldContain("camera=()");

        var id = (await DemoIds.LoadAsync(fixture)).PublishedCircular;
        (await staff.Http.GetAsync($"/api/circulars/{id}")).Headers.CacheControl!.NoStore.ShouldBeTrue();
        (await fixture.Client().Http.GetAsync("/family/not-a-token")).Headers.CacheControl!.NoStore.ShouldBeTrue();
    }

    [Fact]
    public void A_scheme_relative_link_is_an_external_link()
    {
        var html = new MarkdownRenderer().Render("[report](//evil.example/a) and [local](/circulars)").ToString()!;

        html.ShouldContain("href=\"https://evil.example/a\" rel=\"noopener noreferrer nofollow\"");
        html.ShouldContain("href=\"/circulars\">");
    }

    [Theory]
    [InlineData(Scenarios.Staff, false)]
    [InlineData(Scenarios.Commander, false)]
    [InlineData(Scenarios.Vendor, false)]
    [InlineData(Scenarios.Auditor, true)]
    [InlineData(Scenarios.Approver, true)]
    public async Task Internal_notes_are_for_officers_approvers_and_auditors_only(string email, bool sees)
    {
        var id = (await DemoIds.LoadAsync(fixture)).PublishedCircular;
        var reader = await fixture.SignedInAs(email);
        const string note = "Procurement told";

        var (_, page) = await reader.GetPageAsync($"/circulars/{id}");
        var (_, print) = await reader.GetPageAsync($"/circulars/{id}/revisions/1/print");
        var api = await (await reader.Http.GetAsync($"/api/circulars/{id}")).Content.ReadAsStringAsync();

        page.Body!.TextContent.Contains(note, StringComparison.Ordinal).ShouldBe(sees);
        if (!sees) print.Body!.TextContent.ShouldNotContain(note);
        api.Contains(note, StringComparison.Ordinal).ShouldBe(sees);
    }

    [Fact]
    public async Task Acknowledging_a_circular_one_may_not_read_answers_as_for_one_that_does_not_exist()
    {
        var restricted = await fixture.PublishedCircularAsync("Only for 1 Wing's sister wing", TlpLabel.Red, audienceUnitCode: "W3");
        var staff = await fixture.SignedInAs(Scenarios.Staff);

        var hidden = await staff.PostFormAsync($"/circulars/{restricted}/acknowledge", new() { ["Revision"] = "1" }, "/circulars");
        var missing = await staff.PostFormAsync($"/circulars/{Guid.NewGuid()}/acknowledge", new() { ["Revision"] = "1" }, "/circulars");

        hidden.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await hidden.PageAsync()).QuerySelector("main")!.TextContent.ShouldBe((await missing.PageAsync()).QuerySelector("main")!.TextContent);
    }

    private async Task<T> WithUsers<T>(Func<UserManager<PortalUser>, Task<T>> action)
    {
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>());
    }
}

/// <summary>The API answers what the page shows, and lists only revisions the reader may open.</summary>
public sealed class RevisionLeakTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task A_vendor_gets_from_the_API_no_audience_and_no_names_or_times_of_the_working_copy()
    {
        var id = (await DemoIds.LoadAsync(fixture)).PublishedCircular;
        var vendor = await fixture.SignedInAs(Scenarios.Vendor);

        var json = System.Text.Json.Nodes.JsonNode.Parse(await (await vendor.Http.GetAsync($"/api/circulars/{id}")).Content.ReadAsStringAsync())!;

        json["audience"]!.AsArray().ShouldBeEmpty();
        ((string)json["author"]!).ShouldBeEmpty();
        ((string)json["editor"]!).ShouldBeEmpty();
        json["submittedBy"].ShouldBeNull();
    }

    [Fact]
    public async Task A_circular_relabelled_clear_lists_and_describes_only_the_revisions_the_reader_may_open()
    {
        var id = await fixture.PublishedWithAsync(Scenarios.DraftFields(fixture.Clock, "Amber first, clear later", TlpLabel.Amber), audienceUnitCode: "W3");
        await fixture.AmendAsync(id, "Relabelled for everyone", Scenarios.DraftFields(fixture.Clock, "Amber first, clear later", TlpLabel.Clear));
        var staff = await fixture.SignedInAs(Scenarios.Staff);

        var (page, doc) = await staff.GetPageAsync($"/circulars/{id}");
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        doc.QuerySelectorAll($"a[href='/circulars/{id}/revisions/1']").ShouldBeEmpty();
        (await staff.Http.GetAsync($"/circulars/{id}/revisions/1")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var csaf = System.Text.Json.Nodes.JsonNode.Parse(await (await staff.Http.GetAsync($"/circulars/{id}/revisions/2/csaf.json")).Content.ReadAsStringAsync())!;
        var history = csaf["document"]!["tracking"]!["revision_history"]!.AsArray();
        history.Count.ShouldBe(2);
        ((string)history[0]!["summary"]!).ShouldBe("Revision not available to this reader.");
    }
}
