using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Html;
using Portal.Web.Domain;
using Portal.Web.Features.Circulars;
using Portal.Web.Infrastructure.Web;

namespace Portal.Tests;

/// <summary>
/// The circular page takes a published revision's rendered text, rules and sources from a cache by revision id
/// (docs/decisions/0060-circular-page-and-acknowledgement-storm.md). What it shows must be exactly what rendering
/// the revision's text shows, and must follow every change of the circular at once.
/// </summary>
public sealed partial class RevisionContentTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private const string HostileMarkdown = """
        <script>alert('x')</script> and <img src=x onerror="alert(1)"> stay text.

        [a link](javascript:alert(1)), [another](JAVASCRIPT:alert(2)), [data](data:text/html;base64,PHNjcmlwdD4=), <javascript:alert(3)>
        and [fine](https://cert.example/a?b=1&c=2 "title \" quoted").

        ![image](vbscript:msgbox) @Model.Secret @{ throw; } {{ template }} &lt;b&gt; &amp;

        | a | b |
        |---|---|
        | <b>x</b> | `<i>code</i>` |

        1. one
           - nested *em* **strong** ~~struck~~
        2. two

        ```html
        <script>alert('in a code block')</script>
        ```
        """;

    private static readonly MarkdownRenderer Renderer = new();

    [Fact]
    public async Task The_page_shows_each_section_exactly_as_rendering_the_revision_text_does_for_the_demo_circulars_and_hostile_markdown()
    {
        var hostile = await fixture.PublishedWithAsync(Scenarios.DraftFields(fixture.Clock, "Hostile Markdown", families: true)
            .With(("Summary", HostileMarkdown), ("Background", "Plain *background*."), ("RequiredActions", HostileMarkdown + "\n\n- one more"),
                ("FamilySummary", HostileMarkdown)));
        var published = await fixture.Db(db => db.Circulars.Where(c => c.CurrentRevisionId != null).Select(c => new { c.Id, c.CurrentRevisionId }).ToListAsync());
        published.Count.ShouldBeGreaterThanOrEqualTo(2);
        published.ShouldContain(c => c.Id == hostile);
        var staff = await fixture.SignedInAs(Scenarios.Staff);
        var cache = fixture.Factory.Services.GetRequiredService<RevisionContentCache>();

        foreach (var circular in published)
        {
            var revision = await fixture.Db(db => db.CircularRevisions.AsNoTracking().SingleAsync(r => r.Id == circular.CurrentRevisionId));
            var first = await SectionsAsync(staff, circular.Id);
            cache.Holds(revision.Id).ShouldBeTrue();
            var second = await SectionsAsync(staff, circular.Id);

            var expected = new Dictionary<string, string>
            {
                ["Summary"] = revision.Text.Summary, ["Background"] = revision.Text.Background, ["Risk assessment"] = revision.Text.RiskAssessment,
                ["Impact"] = revision.Text.Impact, ["Required actions"] = revision.Text.RequiredActions, ["References"] = revision.Text.References,
            };
            if (revision.Text.IncludeFamilies) expected["Family summary"] = revision.Text.FamilySummary;
            foreach (var (heading, text) in expected.Where(e => !string.IsNullOrWhiteSpace(e.Value)))
            {
                first[heading].ShouldBe(Normalised(Html(Renderer.Render(text))), $"{circular.Id}: {heading}");
                second[heading].ShouldBe(first[heading]);
            }
            first.Keys.Where(k => k != "Internal notes").ShouldBe(expected.Where(e => !string.IsNullOrWhiteSpace(e.Value)).Select(e => e.Key), ignoreOrder: true);

            var content = await fixture.Db(db => cache.GetAsync(db, revision.Id, CancellationToken.None));
            foreach (var text in expected.Values.Append(revision.Text.InternalNotes).Where(t => !string.IsNullOrWhiteSpace(t)))
                Html(content.Html[text!]).ShouldBe(Html(Renderer.Render(text)));
        }
        var page = (await staff.GetPageAsync($"/circulars/{hostile}")).Page;
        page.QuerySelectorAll("script").ShouldBeEmpty();
        page.QuerySelectorAll("a[href^='javascript' i], a[href^='data' i], img[src^='vbscript' i]").ShouldBeEmpty();
    }

    [Fact]
    public async Task The_page_follows_a_new_revision_a_withdrawal_and_a_supersession_at_once()
    {
        var fields = Scenarios.DraftFields(fixture.Clock, "Cached wording");
        var id = await fixture.PublishedWithAsync(fields.With(("Summary", "First *summary*.")));
        var staff = await fixture.SignedInAs(Scenarios.Staff);
        (await SectionsAsync(staff, id))["Summary"].ShouldContain("First <em>summary</em>.");
        var revision1 = await fixture.Db(db => db.Circulars.Where(c => c.Id == id).Select(c => c.CurrentRevisionId!.Value).SingleAsync());
        var cache = fixture.Factory.Services.GetRequiredService<RevisionContentCache>();
        cache.Holds(revision1).ShouldBeTrue();

        await fixture.AmendTextAsync(id, fields.With(("Title", "Cached wording, amended"), ("Summary", "Second **summary**.")), "Re-tested.");
        var (_, amended) = await staff.GetPageAsync($"/circulars/{id}");
        amended.QuerySelector("h1")!.TextContent.ShouldBe("Cached wording, amended");
        (await SectionsAsync(staff, id))["Summary"].ShouldContain("Second <strong>summary</strong>.");
        amended.QuerySelector("main")!.TextContent.ShouldNotContain("First summary");

        await fixture.WithdrawAsync(id, "The lab retracted its finding.");
        var (_, withdrawn) = await staff.GetPageAsync($"/circulars/{id}");
        withdrawn.QuerySelectorAll(".warning").Select(w => w.TextContent).ShouldContain(t => t.Contains("The lab retracted its finding."));
        (await SectionsAsync(staff, id))["Summary"].ShouldContain("Second <strong>summary</strong>.");

        var old = await fixture.PublishedWithAsync(Scenarios.DraftFields(fixture.Clock, "Old cached advice"));
        var replacement = await fixture.PublishedWithAsync(Scenarios.DraftFields(fixture.Clock, "New cached advice"));
        await SectionsAsync(staff, old);
        await SectionsAsync(staff, replacement);
        var reference = await fixture.Db(db => db.Circulars.Where(c => c.Id == replacement).Select(c => c.ReferenceNumber!).SingleAsync());
        var officer = await fixture.SignedInAs(Scenarios.Officer);
        (await fixture.TransitionAsync(officer, old, "supersede", new() { ["ReplacementReference"] = reference, ["Reason"] = "Broader advice." }))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var (_, superseded) = await staff.GetPageAsync($"/circulars/{old}");
        superseded.QuerySelectorAll(".warning").Select(w => w.TextContent).ShouldContain(t => t.Contains("Superseded"));
        superseded.QuerySelector($".warning a[href='/circulars/{replacement}']")!.TextContent.ShouldContain("New cached advice");
        var (_, successor) = await staff.GetPageAsync($"/circulars/{replacement}");
        successor.QuerySelector($".notice a[href='/circulars/{old}']")!.TextContent.ShouldContain("Old cached advice");
    }

    [Fact]
    public async Task Each_part_rendered_once_per_language_is_byte_for_byte_the_page_rendered_live_for_every_reader_in_English_and_Hindi()
    {
        var hostile = await fixture.PublishedWithAsync(Scenarios.DraftFields(fixture.Clock, "Hostile parts <b>bold</b>", TlpLabel.Green, families: true)
            .With(("Summary", HostileMarkdown), ("RequiredActions", HostileMarkdown), ("FamilySummary", HostileMarkdown), ("InternalNotes", HostileMarkdown),
                ("HindiTitle", "<script>alert('शीर्षक')</script> मॉडल X"), ("HindiRequiredActions", "फ़ोन बंद करें। " + HostileMarkdown),
                ("HindiFamilySummary", "कृपया उपयोग न करें। " + HostileMarkdown)),
            arrange: async (db, circular) =>
            {
                var officer = await db.Users.Where(u => u.Email == Scenarios.Officer).Select(u => u.Id).SingleAsync();
                var now = fixture.Clock.GetUtcNow();
                circular.AddSource(SourceKind.LabReport, "<script>alert('id')</script>", "<img src=x onerror=alert(1)>", "javascript:alert(1)", officer, now);
                circular.AddSource(SourceKind.CertAdvisory, "CIVN-2026-0001", "A \"quoted\" & <em>title</em>", "https://cert.example/a?b=1&c=<2>", officer, now);
                circular.AddRule(circular.Rules[0].ManufacturerId, null, "X-<script>*", ["35123456"], "2.<b>1</b>", RuleAction.Restricted,
                    "Note with <script>alert('note')</script> & ampersand", officer, now);
            });
        var published = await fixture.Db(db => db.Circulars.Where(c => c.CurrentRevisionId != null)
            .Select(c => new { c.Id, Revision = c.CurrentRevisionId!.Value }).ToListAsync());
        published.ShouldContain(c => c.Id == hostile);
        var cache = fixture.Factory.Services.GetRequiredService<RevisionContentCache>();
        var readers = new Dictionary<string, PortalClient>
        {
            [Scenarios.Staff] = await fixture.SignedInAs(Scenarios.Staff), [Scenarios.Auditor] = await fixture.SignedInAs(Scenarios.Auditor),
            [Scenarios.Vendor] = await fixture.SignedInAs(Scenarios.Vendor),
        };

        try
        {
            foreach (var circular in published)
            {
                var live = new Dictionary<(string, string), string>();
                foreach (var language in new[] { "en", "hi" })
                    foreach (var (email, reader) in readers)
                    {
                        await SwitchAsync(reader, language);
                        // Forgotten: this page renders every part from its markup, as the page did before parts were kept.
                        cache.Forget(circular.Revision);
                        var (status, page) = await RawPageAsync(reader, circular.Id);
                        live[(email, language)] = page;
                        if (status != HttpStatusCode.OK)
                            continue;
                        var content = await fixture.Db(db => cache.GetAsync(db, circular.Revision, CancellationToken.None));
                        content.Parts.Count.ShouldBe(4, $"{circular.Id} {email} {language}");
                        (await RawPageAsync(reader, circular.Id)).Page.ShouldBe(page, $"{circular.Id} as {email} in {language}: kept parts differ from the live page");
                    }
                // Parts kept from whichever reader and language came last are what every other reader and language gets.
                foreach (var ((email, language), page) in live)
                {
                    await SwitchAsync(readers[email], language);
                    (await RawPageAsync(readers[email], circular.Id)).Page.ShouldBe(page, $"{circular.Id} as {email} in {language}, parts kept from another reader");
                }
            }
        }
        finally
        {
            foreach (var reader in readers.Values)
                await SwitchAsync(reader, "en");
        }

        var staff = readers[Scenarios.Staff];
        var hostilePage = (await staff.GetPageAsync($"/circulars/{hostile}")).Page;
        hostilePage.QuerySelectorAll("script").ShouldBeEmpty();
        hostilePage.QuerySelectorAll("a[href^='javascript' i], a[href^='data' i], img[src^='vbscript' i]").ShouldBeEmpty();
        hostilePage.QuerySelector("main")!.TextContent.ShouldContain("<script>alert('id')</script>");
        hostilePage.QuerySelector("main")!.TextContent.ShouldNotContain("Internal notes");
    }

    /// <summary>The page as sent, with the per-request antiforgery tokens blanked: everything else must be equal.</summary>
    private static async Task<(HttpStatusCode Status, string Page)> RawPageAsync(PortalClient client, Guid id)
    {
        var response = await client.Http.GetAsync($"/circulars/{id}");
        return (response.StatusCode, AntiforgeryValue().Replace(await response.Content.ReadAsStringAsync(), "$1"));
    }

    [System.Text.RegularExpressions.GeneratedRegex("(name=\"__RequestVerificationToken\" type=\"hidden\" value=\")[^\"]*")]
    private static partial System.Text.RegularExpressions.Regex AntiforgeryValue();

    private static async Task SwitchAsync(PortalClient client, string language) =>
        (await client.PostFormAsync("/language", new() { ["Language"] = language, ["ReturnUrl"] = "/" }, "/")).StatusCode.ShouldBe(HttpStatusCode.Redirect);

    /// <summary>The rendered sections of the page, by heading, as AngleSharp serialises them.</summary>
    private static async Task<Dictionary<string, string>> SectionsAsync(PortalClient client, Guid id)
    {
        var (response, page) = await client.GetPageAsync($"/circulars/{id}");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return page.QuerySelectorAll("section.section").Where(s => s.QuerySelector(".markdown") is not null)
            .ToDictionary(s => s.QuerySelector("h2")!.TextContent.Trim(), s => s.QuerySelector(".markdown")!.InnerHtml);
    }

    private static string Normalised(string html) => ((IHtmlDocument)PortalClient.Parse($"<div class=\"markdown\">{html}</div>")).QuerySelector(".markdown")!.InnerHtml;

    private static string Html(IHtmlContent content)
    {
        using var writer = new StringWriter();
        content.WriteTo(writer, System.Text.Encodings.Web.HtmlEncoder.Default);
        return writer.ToString();
    }
}
