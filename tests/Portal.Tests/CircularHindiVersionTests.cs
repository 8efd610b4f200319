using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Portal.Tests.Support;
using Portal.Web.Domain;

namespace Portal.Tests;

/// <summary>
/// A circular's own Hindi version: the officer writes it beside the English, the approver approves both, the revision keeps
/// it exactly as typed, and readers whose language is Hindi read it (or are told plainly that there is none).
/// </summary>
public sealed partial class CircularHindiVersionTests(DispatchFixture fixture) : IClassFixture<DispatchFixture>
{
    // Devanagari with a nukta and a virama followed by a zero-width joiner, Latin with a combining acute accent, and an
    // Arabic word between right-to-left marks: nothing may be normalised, reordered or dropped.
    private const string MixedTitle = "रेडमी 1S बंद करें: क़\u093C्\u200Dष Cafe\u0301 \u200Fهاتف\u200F मॉडल X";
    private const string HindiActions = "फ़ोन का किसी भी सरकारी काम के लिए उपयोग तुरंत बंद करें।";
    private const string HindiFamily = "कृपया मॉडल X फ़ोन का उपयोग न करें। यह आपके संपर्क और संदेश विदेश भेजता है।";

    private PortalFixture Portal => fixture.Portal;

    private Dictionary<string, string> WithHindi(string title) => Scenarios.DraftFields(Portal.Clock, title, families: true)
        .With(("HindiTitle", MixedTitle), ("HindiRequiredActions", HindiActions), ("HindiFamilySummary", HindiFamily));

    [Fact]
    public async Task The_Hindi_version_is_approved_with_the_English_published_in_the_revision_and_shown_as_typed()
    {
        var id = await Portal.PublishedWithAsync(WithHindi("Hindi version published"));

        var revision = await Portal.Db(db => db.CircularRevisions.AsNoTracking().SingleAsync(r => r.CircularId == id));
        (revision.Text.HindiTitle, revision.Text.HindiRequiredActions, revision.Text.HindiFamilySummary).ShouldBe((MixedTitle, HindiActions, HindiFamily));
        string.CompareOrdinal(revision.Text.HindiTitle, MixedTitle).ShouldBe(0);

        var staff = await Portal.SignedInAs(Scenarios.Staff);
        var english = (await staff.GetPageAsync($"/circulars/{id}")).Page;
        english.QuerySelector("h1")!.TextContent.ShouldBe("Hindi version published");
        english.QuerySelector(".hindi-version dd[lang=hi]")!.TextContent.ShouldBe(MixedTitle);
        english.QuerySelector(".hindi-version .markdown[lang=hi]")!.TextContent.Trim().ShouldBe(HindiActions);
        (await staff.GetPageAsync($"/circulars/{id}/revisions/1")).Page.QuerySelector(".hindi-version dd[lang=hi]")!.TextContent.ShouldBe(MixedTitle);

        await SwitchAsync(staff, "hi");
        try
        {
            var hindi = (await staff.GetPageAsync($"/circulars/{id}")).Page;
            var heading = hindi.QuerySelector("h1")!;
            heading.TextContent.ShouldBe(MixedTitle);
            heading.GetAttribute("lang").ShouldBe("hi");
            hindi.QuerySelector("h1 + p.hint[lang=en]")!.TextContent.ShouldBe("Hindi version published");
            hindi.QuerySelectorAll(".markdown[lang=hi]").Select(m => m.TextContent.Trim()).ShouldContain(HindiActions);
            hindi.Body!.TextContent.ShouldNotContain("कोई हिन्दी संस्करण नहीं है");
        }
        finally
        {
            await SwitchAsync(staff, "en");
        }

        var json = await (await staff.Http.GetAsync($"/circulars/{id}/revisions/1/csaf.json")).Content.ReadAsStringAsync();
        var csaf = await CsafChecks.ShouldBeValidDocumentAsync(json);
        ((string)csaf["document"]!["lang"]!).ShouldBe("en");
        var notes = csaf["document"]!["notes"]!.AsArray().ToDictionary(n => (string)n!["title"]!, n => (string)n!["text"]!);
        notes["Title in Hindi (hi)"].ShouldBe(MixedTitle);
        notes["Required actions in Hindi (hi)"].ShouldBe(HindiActions);
        notes.Keys.ShouldNotContain(k => k.Contains("Family summary", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_amendment_that_changes_the_English_but_not_the_Hindi_tells_the_officer_and_the_approver_the_translation_is_older()
    {
        var fields = WithHindi("Hindi version amended");
        var id = await Portal.PublishedWithAsync(fields);
        var englishOnly = fields.With(("RequiredActions", "Stop using the phone and hand it to your unit security officer."));

        await Portal.AmendTextAsync(id, englishOnly, "Required actions made stricter.", approve: false);

        foreach (var person in new[] { Scenarios.Officer, Scenarios.Approver })
        {
            var page = (await (await Portal.SignedInAs(person)).GetPageAsync($"/circulars/{id}")).Page;
            var warning = page.QuerySelector(".translation-older")!.TextContent;
            warning.ShouldContain("The Hindi version is older than the English.");
            warning.ShouldContain("changes the English required actions but not the Hindi");
        }
        var approver = await Portal.SignedInAs(Scenarios.Approver);
        (await Portal.TransitionAsync(approver, id, "approve")).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        const string newHindi = "फ़ोन का उपयोग बंद करें और उसे अपनी यूनिट के सुरक्षा अधिकारी को सौंप दें।";
        await Portal.AmendTextAsync(id, englishOnly.With(("Title", "Hindi version amended again"), ("HindiRequiredActions", newHindi)),
            "Title changed; Hindi actions follow the English.", approve: false);
        var officerPage = (await (await Portal.SignedInAs(Scenarios.Officer)).GetPageAsync($"/circulars/{id}")).Page;
        officerPage.QuerySelector(".translation-older")!.TextContent.ShouldContain("changes the English title but not the Hindi");
        officerPage.QuerySelector(".translation-older")!.TextContent.ShouldNotContain("required actions");
        (await Portal.TransitionAsync(approver, id, "approve")).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var published = (await approver.GetPageAsync($"/circulars/{id}")).Page;
        published.QuerySelector(".translation-older").ShouldBeNull();
        var diff = (await approver.GetPageAsync($"/circulars/{id}/diff?from=2&to=3")).Page;
        var section = diff.QuerySelectorAll("section").Single(e => e.QuerySelector("h2")?.TextContent == "Required actions in Hindi");
        (section.QuerySelector("td.old")!.TextContent, section.QuerySelector("td.new")!.TextContent).ShouldBe((HindiActions, newHindi));
        var revisions = await Portal.Db(db => db.CircularRevisions.AsNoTracking().Where(r => r.CircularId == id).OrderBy(r => r.Number)
            .Select(r => r.Text.HindiRequiredActions).ToListAsync());
        revisions.ShouldBe([HindiActions, HindiActions, newHindi]);
    }

    [Fact]
    public async Task Readers_of_Hindi_get_the_Hindi_family_summary_and_required_actions_by_mail_and_on_the_family_page_or_are_told_there_is_none()
    {
        var staff = await Portal.SignedInAs(Scenarios.Staff);
        await SwitchAsync(staff, "hi");
        Guid translated, untranslated;
        try
        {
            translated = await Portal.PublishedWithAsync(WithHindi("Hindi mail translated"));
            untranslated = await Portal.PublishedCircularAsync("Hindi mail untranslated", TlpLabel.Green, "AC", families: true);
            await fixture.DispatchAsync();
        }
        finally
        {
            await SwitchAsync(staff, "en");
        }

        var outbox = (await fixture.OutboxAsync(translated)).Concat(await fixture.OutboxAsync(untranslated))
            .Where(n => n.Channel == NotificationChannel.Email).ToList();
        var mail = fixture.Smtp.MessagesFor(outbox.Select(n => n.Id)).ToDictionary(m => m.NotificationId!.Value);
        var family = outbox.Where(n => n.DependentId != null).ToList();
        family.ShouldContain(n => n.Language == "hi");
        family.ShouldContain(n => n.Language == "en");
        foreach (var n in family)
        {
            var message = mail[n.Id];
            var summary = PortalClient.Parse(message.Html).QuerySelector("div[dir=auto]")!;
            if (n.Language == "hi" && n.CircularId == translated)
            {
                message.Text.ShouldContain(HindiFamily);
                message.Text.ShouldNotContain("अनुवाद नहीं हुआ");
                (summary.GetAttribute("lang"), summary.TextContent.Trim()).ShouldBe(("hi", HindiFamily));

                var page = (await Portal.Client().GetPageAsync(FamilyPath(message.Text))).Page;
                var shown = page.QuerySelector(".family-summary")!;
                (shown.GetAttribute("lang"), shown.TextContent.Trim()).ShouldBe(("hi", HindiFamily));
                page.QuerySelector(".notice[role=note]").ShouldBeNull();
            }
            else if (n.Language == "hi")
            {
                message.Text.ShouldContain("इस सूचना का आपकी भाषा में अभी अनुवाद नहीं हुआ है");
                summary.GetAttribute("lang").ShouldBe("en");
                var page = (await Portal.Client().GetPageAsync(FamilyPath(message.Text))).Page;
                page.QuerySelector(".notice[role=note]")!.TextContent.ShouldContain("इस सूचना का आपकी भाषा में अभी अनुवाद नहीं हुआ है");
                page.QuerySelector(".family-summary")!.GetAttribute("lang").ShouldBe("en");
            }
            else
            {
                message.Text.ShouldNotContain(HindiFamily);
                message.Text.ShouldNotContain("translated");
            }
        }

        var hindiReader = await Portal.Db(db => db.StaffMembers.Where(s => db.Users.Any(u => u.Id == s.UserId && u.Email == Scenarios.Staff)).Select(s => s.Id).SingleAsync());
        var staffMail = outbox.Where(n => n.StaffMemberId == hindiReader && n.DependentId == null).ToDictionary(n => n.CircularId!.Value, n => mail[n.Id]);
        staffMail[translated].Subject.ShouldContain(MixedTitle);
        staffMail[translated].Text.ShouldContain(HindiActions);
        staffMail[translated].Text.ShouldNotContain("अनुवाद नहीं हुआ");
        PortalClient.Parse(staffMail[translated].Html).QuerySelector("h1")!.GetAttribute("lang").ShouldBe("hi");
        staffMail[untranslated].Subject.ShouldContain("Hindi mail untranslated");
        staffMail[untranslated].Text.ShouldContain("इस परिपत्र का आपकी भाषा में अभी अनुवाद नहीं हुआ है");
    }

    [Fact]
    public async Task A_Hindi_title_that_is_too_long_is_refused_on_the_form_with_everything_typed_kept()
    {
        var officer = await Portal.SignedInAs(Scenarios.Officer);
        var tooLong = string.Concat(Enumerable.Repeat("क़\u200F", 101));
        var fields = WithHindi("Hindi title too long").With(("HindiTitle", tooLong));

        var response = await officer.PostFormAsync("/circulars/new", fields);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var page = await response.PageAsync();
        page.QuerySelector(".error-summary")!.TextContent.ShouldContain("Keep the Hindi title to 200 characters or fewer");
        page.QuerySelector("#HindiTitle")!.GetAttribute("value").ShouldBe(tooLong);
        page.QuerySelector("#HindiRequiredActions")!.TextContent.ShouldBe(HindiActions);
        (await Portal.Db(db => db.Circulars.CountAsync(c => c.Text.Title == "Hindi title too long"))).ShouldBe(0);
    }

    private static async Task SwitchAsync(PortalClient client, string language) =>
        (await client.PostFormAsync("/language", new() { ["Language"] = language, ["ReturnUrl"] = "/" }, "/")).StatusCode.ShouldBe(HttpStatusCode.Redirect);

    private static string FamilyPath(string text) => FamilyLink().Match(text).Value.Replace("http://localhost:5080", "", StringComparison.Ordinal);

    [GeneratedRegex(@"http://localhost:5080/family/\S+")]
    private static partial Regex FamilyLink();
}
