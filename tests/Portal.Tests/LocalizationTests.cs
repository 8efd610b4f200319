using Portal.Web.Domain;

namespace Portal.Tests;

/// <summary>Pages in English or Hindi, chosen per user and saved on the account (docs/decisions/0070).</summary>
public sealed class LocalizationTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task A_user_who_switches_to_Hindi_gets_Hindi_pages_in_every_later_session()
    {
        var staff = await fixture.SignedInAs(Scenarios.Commander);
        var (_, english) = await staff.GetPageAsync("/circulars");
        english.DocumentElement.GetAttribute("lang").ShouldBe("en");
        english.QuerySelector("nav")!.TextContent.ShouldContain("Circulars");

        var switched = await staff.PostFormAsync("/language", new() { ["Language"] = "hi", ["ReturnUrl"] = "/circulars?status=Published" }, "/circulars");
        switched.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        switched.Headers.Location!.OriginalString.ShouldBe("/circulars?status=Published");

        var (_, hindi) = await staff.GetPageAsync("/circulars");
        hindi.DocumentElement.GetAttribute("lang").ShouldBe("hi");
        hindi.QuerySelector("nav")!.TextContent.ShouldContain("परिपत्र");
        (await fixture.Db(db => db.Users.Where(u => u.Email == Scenarios.Commander).Select(u => u.Language).SingleAsync())).ShouldBe("hi");

        var elsewhere = await fixture.SignedInAs(Scenarios.Commander);
        (await elsewhere.GetPageAsync("/")).Page.DocumentElement.GetAttribute("lang").ShouldBe("hi");

        (await elsewhere.PostFormAsync("/language", new() { ["Language"] = "en", ["ReturnUrl"] = "/" }, "/")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await elsewhere.GetPageAsync("/")).Page.DocumentElement.GetAttribute("lang").ShouldBe("en");
    }

    [Fact]
    public async Task A_language_that_is_not_offered_is_English_and_a_foreign_return_address_goes_home()
    {
        var auditor = await fixture.SignedInAs(Scenarios.Auditor);
        var response = await auditor.PostFormAsync("/language", new() { ["Language"] = "xx-<script>", ["ReturnUrl"] = "https://evil.example/" }, "/");
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.ShouldBe("/");
        (await auditor.GetPageAsync("/")).Page.DocumentElement.GetAttribute("lang").ShouldBe("en");
        (await fixture.Db(db => db.Users.Where(u => u.Email == Scenarios.Auditor).Select(u => u.Language).SingleAsync())).ShouldBe("en");
    }

    [Fact]
    public async Task Someone_not_signed_in_can_switch_the_sign_in_page_to_Hindi()
    {
        var anonymous = fixture.Client();
        var response = await anonymous.PostFormAsync("/language", new() { ["Language"] = "hi", ["ReturnUrl"] = "/account/sign-in" }, "/account/sign-in");
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var (_, page) = await anonymous.GetPageAsync("/account/sign-in");
        page.DocumentElement.GetAttribute("lang").ShouldBe("hi");
        page.QuerySelector(".brand")!.TextContent.ShouldBe("परामर्श पोर्टल");
    }

    [Fact]
    public async Task Dates_on_a_Hindi_page_are_written_in_Hindi()
    {
        var id = await fixture.PublishedCircularAsync("Dated notice", TlpLabel.Green, "SQ110");
        var staff = await fixture.SignedInAs(Scenarios.Staff);
        await staff.PostFormAsync("/language", new() { ["Language"] = "hi", ["ReturnUrl"] = "/" }, "/");
        var deadline = await fixture.Db(db => db.Circulars.Where(c => c.Id == id).Select(c => c.Text.AcknowledgementDeadline).SingleAsync());

        var (_, page) = await staff.GetPageAsync($"/circulars/{id}");
        page.Body!.TextContent.ShouldContain(deadline.ToString("d MMMM yyyy", System.Globalization.CultureInfo.GetCultureInfo("hi")));
        await staff.PostFormAsync("/language", new() { ["Language"] = "en", ["ReturnUrl"] = "/" }, "/");
    }
}
