using Portal.Web.Data;

namespace Portal.Tests;

/// <summary>An authenticator code is good once, however the second use arrives (docs/decisions/0021-one-time-authenticator-codes.md).</summary>
public sealed class OneTimeCodeTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private async Task<PortalClient> AtTheCodeStepAsync(string email)
    {
        var client = fixture.Client();
        var password = await client.PostFormAsync("/account/sign-in", new() { ["Email"] = email, ["Password"] = DemoData.Password });
        password.Headers.Location!.OriginalString.ShouldStartWith("/account/two-factor");
        return client;
    }

    [Fact]
    public async Task A_code_used_once_is_refused_the_second_time_with_a_clear_message_and_the_next_code_works()
    {
        var code = await fixture.Factory.Clock.AuthenticatorCodeAsync(Scenarios.Officer, DemoData.AuthenticatorKey);
        var first = await AtTheCodeStepAsync(Scenarios.Officer);
        // A wrong code first: the success then resets the failure count, which saves the user row Identity loaded.
        (await first.PostFormAsync("/account/two-factor", new() { ["Code"] = "000000" })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await first.PostFormAsync("/account/two-factor", new() { ["Code"] = code })).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var second = await AtTheCodeStepAsync(Scenarios.Officer);
        var replayed = await second.PostFormAsync("/account/two-factor", new() { ["Code"] = code });

        replayed.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await replayed.PageAsync()).Errors().ShouldBe(["That code has already been used. Wait for your authenticator app to show the next one and enter that."]);
        (await second.Http.GetAsync("/circulars")).StatusCode.ShouldBe(HttpStatusCode.Redirect, "the replayed code did not sign in");

        var next = await fixture.Factory.Clock.AuthenticatorCodeAsync(Scenarios.Officer, DemoData.AuthenticatorKey);
        (await second.PostFormAsync("/account/two-factor", new() { ["Code"] = next })).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await second.Http.GetAsync("/circulars")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Two_sign_ins_sending_one_code_at_the_same_time_let_exactly_one_in()
    {
        var code = await fixture.Factory.Clock.AuthenticatorCodeAsync(Scenarios.Approver, DemoData.AuthenticatorKey);
        var clients = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => AtTheCodeStepAsync(Scenarios.Approver)));
        var tokens = await Task.WhenAll(clients.Select(c => c.AntiforgeryTokenAsync("/account/two-factor")));

        var answers = await Task.WhenAll(clients.Select((c, i) => c.Http.PostAsync("/account/two-factor",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["Code"] = code, ["__RequestVerificationToken"] = tokens[i] }))));

        answers.Count(a => a.StatusCode == HttpStatusCode.Redirect).ShouldBe(1);
        answers.Count(a => a.StatusCode == HttpStatusCode.BadRequest).ShouldBe(3);
    }

    [Fact]
    public async Task A_code_of_an_earlier_step_than_one_already_used_is_refused()
    {
        var earlier = Totp.Code(DemoData.AuthenticatorKey, fixture.Factory.Clock.GetUtcNow().AddSeconds(-30));
        var now = await fixture.Factory.Clock.AuthenticatorCodeAsync(Scenarios.Auditor, DemoData.AuthenticatorKey);
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Portal.Web.Domain.PortalUser>>();
        var auditor = (await users.FindByEmailAsync(Scenarios.Auditor))!;
        await users.SetAuthenticationTokenAsync(auditor, "[AspNetUserStore]", "AuthenticatorKey", DemoData.AuthenticatorKey);
        var provider = users.Options.Tokens.AuthenticatorTokenProvider;

        (await users.VerifyTwoFactorTokenAsync(auditor, provider, now)).ShouldBeTrue();
        (await users.VerifyTwoFactorTokenAsync(auditor, provider, earlier)).ShouldBeFalse("a code from before the one used is stale");
    }
}
