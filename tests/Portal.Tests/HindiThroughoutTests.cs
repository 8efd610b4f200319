using System.Collections;
using System.Globalization;
using System.Resources;
using AngleSharp.Dom;
using Portal.Web.Domain;
using Portal.Web.Infrastructure.Localization;

namespace Portal.Tests;

/// <summary>
/// The whole interface in Hindi (docs/decisions/0071): the officers', administrators' and error pages, validation
/// messages (ours and FluentValidation's), chart labels; and a language not offered is English.
/// </summary>
public sealed class HindiThroughoutTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    /// <summary>Every English text Text.hi.resx translates: on a Hindi page none of them may stand alone untranslated.</summary>
    private static readonly Dictionary<string, string> Translated = new ResourceManager(typeof(Text))
        .GetResourceSet(CultureInfo.GetCultureInfo("hi"), createIfNotExists: true, tryParents: false)!
        .Cast<DictionaryEntry>()
        .Where(e => (string)e.Key != (string)e.Value! && ((string)e.Key).Any(char.IsAsciiLetterLower))
        .ToDictionary(e => (string)e.Key, e => (string)e.Value!);

    private static bool IsDevanagari(char c) => c is >= '\u0900' and <= '\u097F';

    /// <summary>Leaf elements and accessible names whose whole text is an English string the resources translate.</summary>
    private static List<string> EnglishLeftIn(IDocument page) =>
        page.Body!.QuerySelectorAll("*")
            .Where(e => e.LocalName is not ("script" or "style") && e.Closest(".language-switch, form[action='/language']") is null)
            .SelectMany(e => new[]
            {
                e.Children.Length == 0 ? e.TextContent.Trim() : null,
                e.GetAttribute("aria-label"),
                e.GetAttribute("title"),
            })
            .OfType<string>()
            .Where(Translated.ContainsKey)
            .Distinct()
            .ToList();

    private async Task<PortalClient> InHindiAsync(string email)
    {
        var client = await fixture.SignedInAs(email);
        (await client.PostFormAsync("/language", new() { ["Language"] = "hi", ["ReturnUrl"] = "/" }, "/")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        return client;
    }

    /// <param name="headingIsData">The page's heading is a circular's title, as the officer typed it.</param>
    private static async Task<IDocument> HindiPageAsync(PortalClient client, string url, bool headingIsData = false)
    {
        var (response, page) = await client.GetPageAsync(url);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, url);
        page.DocumentElement.GetAttribute("lang").ShouldBe("hi", url);
        if (!headingIsData)
            page.QuerySelector("h1")!.TextContent.Any(IsDevanagari).ShouldBeTrue($"{url}: the heading \"{page.QuerySelector("h1")!.TextContent}\" is not in Hindi");
        EnglishLeftIn(page).ShouldBeEmpty($"{url} still shows English");
        return page;
    }

    [Fact]
    public async Task An_officers_pages_in_Hindi_leave_no_translated_English_behind()
    {
        var published = await fixture.PublishedCircularAsync("Hindi officer pages", TlpLabel.Green, "SQ110");
        var officer = await InHindiAsync(Scenarios.Officer);
        var draft = await fixture.DraftAsync(officer, "Hindi draft pages");

        var rules = await HindiPageAsync(officer, $"/circulars/{draft}/rules");
        rules.QuerySelector("#add-rule-title")!.TextContent.ShouldBe("एक नियम जोड़ें");
        rules.QuerySelector("label[for='Action-Banned']")!.TextContent.ShouldStartWith("प्रतिबंधित:");
        (await HindiPageAsync(officer, $"/circulars/{draft}/audience")).Body!.TextContent.ShouldContain("हर यूनिट में उसके नीचे की सभी यूनिटें शामिल होती हैं।");
        (await HindiPageAsync(officer, $"/circulars/{draft}/sources")).QuerySelector("label[for='Identifier']")!.TextContent.ShouldBe("पहचानकर्ता");

        var circular = await HindiPageAsync(officer, $"/circulars/{published}", headingIsData: true);
        circular.QuerySelector("td .badge")!.TextContent.ShouldBe("प्रतिबंधित");
        circular.QuerySelector("ol.history")!.TextContent.ShouldContain("ने एक संशोधन प्रकाशित किया");
        await HindiPageAsync(officer, $"/circulars/{published}/revisions/1", headingIsData: true);

        var dashboard = await HindiPageAsync(officer, $"/circulars/{published}/acknowledgements");
        dashboard.QuerySelector("#delivery-title")!.TextContent.ShouldBe("सूचनाओं की डिलीवरी");
        dashboard.QuerySelectorAll("svg text").Select(t => t.TextContent).ShouldContain(t => t.Contains("में से"), "chart labels in Hindi");

        var catalogue = await HindiPageAsync(officer, "/catalogue");
        catalogue.QuerySelector("h1")!.TextContent.ShouldBe("उत्पाद सूची");
        await HindiPageAsync(officer, "/catalogue/manufacturers/new");
        await HindiPageAsync(officer, "/catalogue/models/new");
    }

    [Fact]
    public async Task An_administrators_pages_in_Hindi_leave_no_translated_English_behind()
    {
        var admin = await InHindiAsync("admin@portal.example");
        var users = await HindiPageAsync(admin, "/admin/users");
        users.QuerySelector("label[for='locked']")!.TextContent.ShouldBe("केवल लॉक किए गए");
        users.QuerySelector("[role=status]")!.TextContent.ShouldEndWith("खाते।");
        await HindiPageAsync(admin, "/admin/users/new");
        (await HindiPageAsync(admin, "/admin/units")).QuerySelector("tbody")!.TextContent.ShouldContain("कमान");
        await HindiPageAsync(admin, "/admin/units/new");
        await HindiPageAsync(admin, "/admin/vendors");
        await HindiPageAsync(admin, "/admin/vendors/new");
        await HindiPageAsync(admin, "/admin/api-clients");
        await HindiPageAsync(admin, "/admin/api-clients/new");
    }

    [Fact]
    public async Task Refusals_are_said_in_the_readers_language_in_the_order_of_the_fields()
    {
        var admin = await InHindiAsync("admin@portal.example");
        var refused = await admin.PostFormAsync("/admin/units/new", new() { ["Name"] = "", ["Code"] = "", ["Kind"] = "" }, "/admin/units/new");
        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var page = await refused.PageAsync();
        page.DocumentElement.GetAttribute("lang").ShouldBe("hi");
        page.Errors().ShouldBe(["यूनिट का नाम दर्ज करें।", "यूनिट के लिए एक छोटा कोड दर्ज करें, उदाहरण के लिए SQ110।", "चुनें कि यह किस प्रकार की यूनिट है।"]);
        EnglishLeftIn(page).ShouldBeEmpty();

        // A message with a value in it is translated before the value is filled in.
        var officer = await InHindiAsync(Scenarios.Officer);
        var draft = await fixture.DraftAsync(officer, "Hindi refusal");
        var rule = await fixture.TransitionAsync(officer, draft, "rules", new() { ["EveryModel"] = "true", ["Action"] = "Banned", ["Note"] = new string('n', 2001) });
        rule.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await rule.PageAsync()).Errors();
        errors.ShouldContain("निर्माता चुनें।");
        errors.ShouldContain("टिप्पणी 2,000 अक्षरों या उससे कम की रखें (इसमें 2001 हैं)।");

        // An empty rule form: every refusal in Hindi, none of them about the route ("The value 'Rules' is not valid").
        var empty = await fixture.TransitionAsync(officer, draft, "rules");
        empty.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await empty.PageAsync()).Errors().ShouldAllBe(e => e.Any(IsDevanagari));
    }

    /// <summary>Messages composed from values (docs/decisions/0072): the sentence in Hindi, the values as they were typed.</summary>
    [Fact]
    public async Task Messages_composed_from_values_are_said_in_Hindi()
    {
        // A refusal listing what is missing: the frame and each missing part translated.
        var officer = await InHindiAsync(Scenarios.Officer);
        var draft = await fixture.DraftAsync(officer, "Hindi not ready");
        var submit = await fixture.TransitionAsync(officer, draft, "submit");
        submit.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        string.Join(" ", (await submit.PageAsync()).Errors()).ShouldContain("प्रकाशन के लिए तैयार नहीं: "
            + Translated["Add at least one rule naming the devices this circular bans, restricts or monitors."] + " "
            + Translated["Choose the audience: at least one unit."]);

        // A state inside a sentence.
        var approver = await InHindiAsync(Scenarios.Approver);
        var approve = await fixture.TransitionAsync(approver, draft, "approve");
        approve.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        string.Join(" ", (await approve.PageAsync()).Errors())
            .ShouldContain("केवल अनुमोदन की प्रतीक्षा वाला परिपत्र ही अनुमोदित किया जा सकता है; यह परिपत्र अभी मसौदा है।");

        // The notice after a change, with the name as typed.
        var admin = await InHindiAsync("admin@portal.example");
        var created = await admin.PostFormAsync("/admin/users/new", [
            new("Email", "hindi.notice@portal.example"), new("Password", "Another-Passw0rd"), new("DisplayName", "Hindi Notice {0}"),
            new("Roles", Roles.Auditor)], "/admin/users/new");
        created.StatusCode.ShouldBe(HttpStatusCode.Redirect, await created.Content.ReadAsStringAsync());
        var (_, users) = await admin.GetPageAsync(created.Headers.Location!.OriginalString);
        users.QuerySelector("main .notice")!.TextContent.Trim().ShouldBe("hindi.notice@portal.example का खाता बनाया गया।");
        (await admin.GetPageAsync("/admin/users")).Page.QuerySelector("main .notice").ShouldBeNull("a notice is shown once");

        // A validation message with what was typed in it.
        var client = await admin.PostFormAsync("/admin/api-clients/new", new()
        {
            ["Name"] = "Hindi app", ["Kind"] = "InternalApp", ["Scopes"] = "circulars.read", ["RedirectUris"] = "javascript:alert(1)",
        }, "/admin/api-clients/new");
        client.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await client.PageAsync()).Errors()
            .ShouldContain("'javascript:alert(1)' रीडायरेक्ट पता नहीं है: https://… लिखें (http:// केवल localhost के लिए), बिना # भाग के।");
    }

    [Fact]
    public async Task Error_pages_are_in_the_readers_language()
    {
        var staff = await InHindiAsync(Scenarios.Staff);
        var (response, page) = await staff.GetPageAsync($"/circulars/{Guid.NewGuid()}");
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        page.QuerySelector("h1")!.TextContent.ShouldBe("नहीं मिला");
        EnglishLeftIn(page).ShouldBeEmpty();
    }

    /// <summary>
    /// Resource generation keeps one of two names that differ only in case ("acknowledged", "Acknowledged") and drops
    /// the other with a warning: that text would silently stay English. Parallel branches append to the file, so check it.
    /// </summary>
    [Fact]
    public void No_two_translations_differ_only_in_the_case_of_their_English_text()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Portal.sln")))
            folder = folder.Parent;
        var resx = System.Xml.Linq.XDocument.Load(Path.Combine(folder!.FullName, "src/Portal.Web/Infrastructure/Localization/Text.hi.resx"));
        resx.Root!.Elements("data").Select(d => (string)d.Attribute("name")!)
            .GroupBy(n => n, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => string.Join(" / ", g))
            .ShouldBeEmpty();
    }

    [Fact]
    public async Task A_language_cookie_naming_a_language_not_offered_gives_English_pages()
    {
        var anonymous = fixture.Client();
        anonymous.Http.DefaultRequestHeaders.Add("Cookie", $"{LocalizationRegistration.CookieName}=c%3Dxx%7Cuic%3Dxx");
        var (response, page) = await anonymous.GetPageAsync("/account/sign-in");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        page.DocumentElement.GetAttribute("lang").ShouldBe("en");
        page.QuerySelector("h1")!.TextContent.ShouldBe("Sign in");
    }
}
