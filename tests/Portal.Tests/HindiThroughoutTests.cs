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
    internal static readonly Dictionary<string, string> Translated = new ResourceManager(typeof(Text))
        .GetResourceSet(CultureInfo.GetCultureInfo("hi"), createIfNotExists: true, tryParents: false)!
        .Cast<DictionaryEntry>()
        .Where(e => (string)e.Key != (string)e.Value! && ((string)e.Key).Any(char.IsAsciiLetterLower))
        .ToDictionary(e => (string)e.Key, e => (string)e.Value!);

    internal static bool IsDevanagari(char c) => c is >= '\u0900' and <= '\u097F';

    /// <summary>Leaf elements and accessible names whose whole text is an English string the resources translate.</summary>
    internal static List<string> EnglishLeftIn(IDocument page) =>
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

    private Task<PortalClient> InHindiAsync(string email) => InHindiAsync(fixture, email);

    /// <summary>Signed in, with Hindi chosen on the language switch (saved on the account).</summary>
    internal static async Task<PortalClient> InHindiAsync(PortalFixture fixture, string email)
    {
        var client = await fixture.SignedInAs(email);
        (await client.PostFormAsync("/language", new() { ["Language"] = "hi", ["ReturnUrl"] = "/" }, "/")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        return client;
    }

    /// <param name="headingIsData">The page's heading is a circular's title, as the officer typed it.</param>
    internal static async Task<IDocument> HindiPageAsync(PortalClient client, string url, bool headingIsData = false)
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

    /// <summary>
    /// Every status, state and kind a person sees is words (docs/decisions/0076): none is its identifier ("NotAffected"),
    /// and each has its Hindi.
    /// </summary>
    [Fact]
    public void Every_status_a_person_sees_reads_as_words_in_English_and_in_Hindi()
    {
        static IEnumerable<(string Value, string Words)> Of<TEnum>() where TEnum : struct, Enum =>
            Enum.GetValues<TEnum>().Select(v => ($"{typeof(TEnum).Name}.{v}", v.Words()));
        var shown = Of<CircularStatus>().Concat(Of<Severity>()).Concat(Of<RevisionKind>()).Concat(Of<RuleAction>()).Concat(Of<SourceKind>())
            .Concat(Of<UnitKind>()).Concat(Of<MembershipRequestState>()).Concat(Of<RemediationKind>()).Concat(Of<ClaimStatus>())
            .Concat(Of<ModelStatus>()).Concat(Of<NotificationChannel>()).Concat(Of<NotificationState>()).Concat(Of<FindingState>())
            .Concat(Of<ExemptionState>()).Concat(Of<DataCategory>()).Concat(Of<DeviceImportState>()).Concat(Of<ApiClientKind>())
            .Concat(Of<AmendmentStatus>().Where(a => a.Value != $"{nameof(AmendmentStatus)}.{nameof(AmendmentStatus.None)}"))
            .ToList();

        shown.Where(s => s.Words.Length == 0 || System.Text.RegularExpressions.Regex.IsMatch(s.Words, "[a-z][A-Z]"))
            .Select(s => $"{s.Value}: \"{s.Words}\"").ShouldBeEmpty("an identifier shown as it is");
        shown.Where(s => s.Words.Any(char.IsAsciiLetterLower) && !Translated.ContainsKey(s.Words))
            .Select(s => $"{s.Value}: \"{s.Words}\"").ShouldBeEmpty("words with no Hindi");
        Enum.GetValues<ModelStatus>().Select(s => s.Words())
            .ShouldBe(["Unknown", "Affected", "Not affected", "Fix claimed", "Fix verified", "No fix planned"]);
        (CircularStatus.InReview.Words(), ClaimStatus.PendingVerification.Words(), DataCategory.CallLog.Words())
            .ShouldBe(("In review", "Accepted, pending verification", "call log"));
        Translated["Not affected"].ShouldBe("प्रभावित नहीं");
    }

    /// <summary>
    /// A notice after a change is a fixed English text (or a template, docs/decisions/0072), looked up where it is shown:
    /// each one in a controller must have its Hindi, and none may be composed by interpolation (it would stay English).
    /// </summary>
    [Fact]
    public void Every_notice_after_a_change_has_its_Hindi_and_none_is_composed_in_English()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "Portal.sln")))
            folder = folder.Parent;
        var features = Path.Combine(folder!.FullName, "src/Portal.Web/Features");
        // API controllers and the OAuth endpoints answer machines in English by decision 0071.
        var controllers = Directory.EnumerateFiles(features, "*Controller.cs", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileName(f).Contains("Api", StringComparison.Ordinal) && !f.Contains($"{Path.DirectorySeparatorChar}Connect{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        controllers.Count.ShouldBeGreaterThan(10);
        var notices = controllers
            .SelectMany(f => System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(f), "\"([A-Z][^\"\\n]*[.!])\"")
                .Select(m => (File: Path.GetFileName(f), Text: m.Groups[1].Value)))
            .ToList();
        notices.Count.ShouldBeGreaterThan(40);
        notices.Where(n => !Translated.ContainsKey(n.Text)).Select(n => $"{n.File}: {n.Text}").ShouldBeEmpty();
        controllers.Where(f => System.Text.RegularExpressions.Regex.IsMatch(File.ReadAllText(f), "Notice\\S*\\s*=\\s*\\$\"|Notice\\(\\$\""))
            .Select(Path.GetFileName).ShouldBeEmpty("a notice composed by interpolation");
    }
}

/// <summary>
/// The evidence pages and the vendor-case pages in Hindi, as an officer and as a vendor (docs/decisions/0076): no
/// translated English left, status names as Hindi words, and the notices with values said in Hindi. A class of its own
/// because uploads need the evidence store's own folder.
/// </summary>
public sealed class HindiEvidenceAndVendorCaseTests(EvidenceFixture evidence) : IClassFixture<EvidenceFixture>
{
    private PortalFixture Fixture => evidence.Portal;

    private static string Hindi(string english) => HindiThroughoutTests.Translated[english];

    private static string Notice(IDocument page) => page.QuerySelector("main .notice")!.TextContent.Trim();

    [Fact]
    public async Task Evidence_and_vendor_case_pages_in_Hindi_leave_no_translated_English_behind_for_officers_and_vendors()
    {
        var (circular, caseId) = await Fixture.PublishedNamingXiaomiAsync("Hindi evidence and case pages");
        var officer = await HindiThroughoutTests.InHindiAsync(Fixture, Scenarios.Officer);

        // The officer records the lab's evidence on a draft, attaches its report and a finding, in Hindi.
        var draft = await Fixture.DraftAsync(officer, "Hindi evidence draft");
        await HindiThroughoutTests.HindiPageAsync(officer, $"/circulars/{draft}/evidence/new");
        var evidenceId = await Fixture.RecordEvidenceAsync(officer, draft);
        var url = $"/circulars/{draft}/evidence/{evidenceId}";
        var upload = await Fixture.UploadAsync(officer, draft, evidenceId, EvidenceScenarios.Pdf, "lab-report.pdf");
        upload.StatusCode.ShouldBe(HttpStatusCode.Redirect, await upload.Content.ReadAsStringAsync());
        var stored = await HindiThroughoutTests.HindiPageAsync(officer, upload.Headers.Location!.OriginalString, headingIsData: true);
        Notice(stored).ShouldStartWith("फ़ाइल “lab-report.pdf” ");
        Notice(stored).ShouldEndWith($", {Hindi("PDF document")})।");
        (await Fixture.AddFindingAsync(officer, draft, evidenceId, EvidenceScenarios.Finding(DataCategory.CallLog, "logs.example.cn", "CN")))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var page = await HindiThroughoutTests.HindiPageAsync(officer, url, headingIsData: true);
        Notice(page).ShouldBe(Hindi("Finding added."));
        page.QuerySelector("#findings-title")!.TextContent.ShouldBe("निष्कर्ष");
        page.QuerySelector("#findings-title")!.ParentElement!.QuerySelector("tbody td")!.TextContent.ShouldBe(Hindi("call log"));
        page.QuerySelector("select[name=Category]")!.QuerySelectorAll("option").Skip(1).Select(o => o.TextContent)
            .ShouldAllBe(t => t.Any(HindiThroughoutTests.IsDevanagari) || t == "IMEI" || t == "SMS");
        page.QuerySelector("ol.history")!.TextContent.ShouldContain(Hindi("recorded the evidence"));
        var circularPage = await HindiThroughoutTests.HindiPageAsync(officer, $"/circulars/{draft}", headingIsData: true);
        circularPage.QuerySelector("#destinations-title")!.TextContent.ShouldBe(Hindi("What it sends where"));

        // The vendor answers: a claim, its file, a status; every word of the case page in Hindi.
        var claimId = await Fixture.ClaimAsync(circular, caseId, RemediationKind.FirmwareUpdate, "Fixed in V9.", firmware: "V9", verify: false);
        var vendor = await HindiThroughoutTests.InHindiAsync(Fixture, Scenarios.Vendor);
        var casePage = await HindiThroughoutTests.HindiPageAsync(vendor, $"/vendor-cases/{caseId}", headingIsData: true);
        casePage.QuerySelectorAll("select[name=Status] option").Select(o => o.TextContent)
            .ShouldBe(Enum.GetValues<ModelStatus>().Where(s => s != ModelStatus.FixVerified).Select(s => Hindi(s.Words())));
        casePage.QuerySelector($"#claim-{claimId} dd strong")!.TextContent.ShouldBe(Hindi("Accepted, pending verification"));

        using (var form = new MultipartFormDataContent())
        {
            form.Add(new StringContent(await vendor.AntiforgeryTokenAsync($"/vendor-cases/{caseId}")), "__RequestVerificationToken");
            var file = new ByteArrayContent(EvidenceScenarios.Pdf);
            file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/pdf");
            form.Add(file, "File", "release-note {0}.pdf");
            var attached = await vendor.Http.PostAsync($"/vendor-cases/{caseId}/claims/{claimId}/files", form);
            attached.StatusCode.ShouldBe(HttpStatusCode.Redirect, await attached.Content.ReadAsStringAsync());
            var (_, after) = await vendor.GetPageAsync(attached.Headers.Location!.OriginalString);
            Notice(after).ShouldStartWith("फ़ाइल “release-note {0}.pdf” जोड़ी गई (");
            Notice(after).ShouldEndWith($", {Hindi("PDF document")})।");
        }
        var model = await Fixture.Db(db => db.VendorCaseModels.Where(m => m.CaseId == caseId).Select(m => m.DeviceModelId).FirstAsync());
        var saved = await vendor.PostFormAsync($"/vendor-cases/{caseId}/status",
            new() { ["DeviceModelId"] = model.ToString(), ["Status"] = nameof(ModelStatus.NotAffected) }, $"/vendor-cases/{caseId}");
        saved.StatusCode.ShouldBe(HttpStatusCode.Redirect, await saved.Content.ReadAsStringAsync());
        Notice((await vendor.GetPageAsync(saved.Headers.Location!.OriginalString)).Page).ShouldBe(Hindi("Status saved."));
        (await HindiThroughoutTests.HindiPageAsync(vendor, "/vendor-cases?open=true")).QuerySelector("h1")!.TextContent.ShouldBe(Hindi("Open vendor cases"));
        await HindiThroughoutTests.HindiPageAsync(vendor, "/vendor-cases");
        await HindiThroughoutTests.HindiPageAsync(vendor, "/vendor-membership");
        await HindiThroughoutTests.HindiPageAsync(vendor, "/vendor-membership/requests");

        // The officer reads the vendor's words as Hindi words, and reviews in Hindi.
        var officerCase = await HindiThroughoutTests.HindiPageAsync(officer, $"/vendor-cases/{caseId}", headingIsData: true);
        officerCase.QuerySelector("#models-title")!.ParentElement!.QuerySelector("tbody")!.TextContent.ShouldContain(Hindi("Not affected"));
        officerCase.QuerySelectorAll($"#claim-{claimId} input[name=Outcome] + label").Select(l => l.TextContent)
            .ShouldAllBe(t => t.Any(HindiThroughoutTests.IsDevanagari));
        (await HindiThroughoutTests.HindiPageAsync(officer, "/vendor-cases?review=true")).QuerySelector("h1")!.TextContent
            .ShouldBe(Hindi("Vendor cases with a claim waiting for the officers"));

        // A refused status form comes back in Hindi too.
        var refused = await vendor.PostFormAsync($"/vendor-cases/{caseId}/status",
            new() { ["DeviceModelId"] = model.ToString(), ["Status"] = nameof(ModelStatus.FixVerified) }, $"/vendor-cases/{caseId}");
        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var refusal = await refused.PageAsync();
        refusal.DocumentElement.GetAttribute("lang").ShouldBe("hi");
        refusal.QuerySelector("h1")!.TextContent.ShouldBe(Hindi("Model status"));
        refusal.Errors().ShouldAllBe(e => e.Any(HindiThroughoutTests.IsDevanagari));
        HindiThroughoutTests.EnglishLeftIn(refusal).ShouldBeEmpty();
    }
}
