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
public sealed class RevisionContentTests(PortalFixture fixture) : IClassFixture<PortalFixture>
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
