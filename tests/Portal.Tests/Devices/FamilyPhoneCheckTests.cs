using Portal.Web.Domain;
using Portal.Web.Features.Acknowledgements;
using static Portal.Tests.Devices.DeviceScenarios;

namespace Portal.Tests.Devices;

/// <summary>A family member checks a phone by its IMEI on their link page: this circular's verdict only.</summary>
public sealed class FamilyPhoneCheckTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    /// <summary>Bans Xiaomi phones by TAC prefix 864396 (the Redmi 1S) and restricts "Redmi Note*"; families included.</summary>
    private async Task<string> FamilyLinkAsync()
    {
        var officer = await fixture.SignedInAs(Scenarios.Officer);
        var approver = await fixture.SignedInAs(Scenarios.Approver);
        var id = await fixture.DraftAsync(officer, "Phones for families " + Guid.NewGuid().ToString("N")[..6], TlpLabel.Green, families: true);
        var xiaomi = (await fixture.ManufacturerIdAsync("Xiaomi"))!.Value.ToString();
        (await fixture.TransitionAsync(officer, id, "rules", new() { ["ManufacturerId"] = xiaomi, ["TacPrefixes"] = "864396", ["Action"] = "Banned" }))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await fixture.TransitionAsync(officer, id, "rules", new() { ["ManufacturerId"] = xiaomi, ["ModelPattern"] = "Redmi Note*", ["Action"] = "Restricted" }))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var unit = await fixture.Db(db => db.Units.Where(u => u.Code == "AC").Select(u => u.Id).SingleAsync());
        (await fixture.TransitionAsync(officer, id, "audience", new() { ["UnitId"] = unit.ToString() })).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await fixture.TransitionAsync(officer, id, "submit")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await fixture.TransitionAsync(approver, id, "approve")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var dependent = await fixture.Db(db => db.AcknowledgementRequests.Where(a => a.CircularId == id && a.DependentId != null)
            .Where(a => db.Dependents.Any(d => d.Id == a.DependentId && d.PreferredLanguage == "en")).Select(a => a.DependentId!.Value).FirstAsync());
        return fixture.Factory.Services.GetRequiredService<FamilyLinks>().CreateToken(id, 1, dependent);
    }

    private async Task<(HttpResponseMessage Response, AngleSharp.Html.Dom.IHtmlDocument Page)> CheckAsync(string token, string imei)
    {
        var response = await fixture.Client().Http.PostAsync($"/family/{token}/check", new FormUrlEncodedContent(new Dictionary<string, string> { ["imei"] = imei }));
        return (response, await response.PageAsync());
    }

    [Fact]
    public async Task The_family_page_answers_banned_restricted_not_banned_or_cannot_tell_for_this_circular_only()
    {
        var token = await FamilyLinkAsync();
        var (_, form) = await fixture.Client().GetPageAsync($"/family/{token}");
        form.QuerySelector(".family-check")!.TextContent.ShouldContain("*#06#");

        var (banned, bannedPage) = await CheckAsync(token, Imei("86439602", 1));
        banned.StatusCode.ShouldBe(HttpStatusCode.OK);
        bannedPage.QuerySelector(".family-check-answer")!.TextContent.ShouldContain("This notice bans this phone");
        var demoReference = await fixture.Db(db => db.Circulars.Where(c => c.Text.Title == Portal.Web.Data.DemoData.PublishedCircularTitle)
            .Select(c => c.ReferenceNumber).SingleAsync());
        bannedPage.Body!.TextContent.ShouldNotContain(demoReference!);
        bannedPage.Body!.TextContent.ShouldNotContain("Redmi 1S");

        (await CheckAsync(token, Imei("86517402", 2))).Page.QuerySelector(".family-check-answer")!.TextContent.ShouldContain("restricts");
        (await CheckAsync(token, Imei("35226806", 6))).Page.QuerySelector(".family-check-answer")!.TextContent.ShouldContain("does not ban this phone");
        (await CheckAsync(token, Imei("35000001", 3))).Page.QuerySelector(".family-check-answer")!.TextContent.ShouldContain("We cannot tell");
        var sixteen = Imei("86439602", 4)[..14] + "07";
        (await CheckAsync(token, sixteen)).Page.QuerySelector(".family-check-answer")!.TextContent.ShouldContain("bans this phone");
    }

    [Fact]
    public async Task Hostile_IMEIs_are_answered_clearly_with_what_was_typed_kept()
    {
        var token = await FamilyLinkAsync();
        var good = Imei("86439602", 5);
        var cases = new Dictionary<string, string>
        {
            ["12345"] = "An IMEI has 15 digits",
            ["8643960200000AB"] = "An IMEI has only digits",
            [good[..14] + (char)('0' + (good[14] - '0' + 1) % 10)] = "does not check out (Luhn)",
            [""] = "Give the IMEI",
            [new string('9', 5000)] = "An IMEI has 15 digits",
        };
        foreach (var (typed, message) in cases)
        {
            var (response, page) = await CheckAsync(token, typed);
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, typed);
            page.QuerySelector("#imei-error")!.TextContent.ShouldContain(message);
            page.QuerySelector(".family-check-answer").ShouldBeNull();
            page.FieldValue("imei").ShouldBe(typed.Length > 40 ? typed[..40] : typed);
        }

        (await CheckAsync("not-a-token", good)).Response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }
}
