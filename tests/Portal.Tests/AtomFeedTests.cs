using System.Globalization;
using System.Xml.Linq;
using Portal.Web.Domain;

namespace Portal.Tests;

/// <summary>The Atom feed of circulars: well-formed, one entry per revision, and never more than the reader may see.</summary>
public sealed class AtomFeedTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    [Fact]
    public async Task Anonymous_readers_get_a_well_formed_feed_of_clear_circulars_only()
    {
        var clear = await fixture.PublishedCircularAsync("Feed: public Model F");
        await fixture.PublishedCircularAsync("Feed: amber Model F", TlpLabel.Amber);
        await fixture.PublishedCircularAsync("Feed: green Model F", TlpLabel.Green);

        var response = await fixture.Client().Http.GetAsync("/circulars/feed.atom");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/atom+xml");
        var feed = XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!;
        feed.Name.ShouldBe(Atom + "feed");
        feed.Element(Atom + "id").ShouldNotBeNull();
        feed.Element(Atom + "updated").ShouldNotBeNull();
        var titles = feed.Elements(Atom + "entry").Select(e => e.Element(Atom + "title")!.Value).ToList();
        titles.ShouldContain($"{await fixture.ReferenceNumberAsync(clear)}: Feed: public Model F");
        titles.ShouldNotContain(t => t.Contains("amber", StringComparison.Ordinal) || t.Contains("green", StringComparison.Ordinal));

        var revisionId = await fixture.Db(db => db.CircularRevisions.Where(r => r.CircularId == clear).Select(r => r.Id).SingleAsync());
        var entry = feed.Elements(Atom + "entry").Single(e => e.Element(Atom + "id")!.Value == $"urn:uuid:{revisionId}");
        entry.Element(Atom + "link")!.Attribute("href")!.Value.ShouldBe($"http://localhost:5080/circulars/{clear}");
        entry.Element(Atom + "summary")!.Value.ShouldBe("Do not use the Model X: a lab found it sending contacts, SMS and the IMEI abroad.");
        DateTimeOffset.Parse(entry.Element(Atom + "updated")!.Value, CultureInfo.InvariantCulture).ShouldBe(fixture.Clock.GetUtcNow(), TimeSpan.FromMinutes(5));
    }

    [Fact]
    public async Task Staff_of_the_audience_see_amber_circulars_and_others_do_not()
    {
        await fixture.PublishedCircularAsync("Feed: amber for 1 Wing", TlpLabel.Amber, audienceUnitCode: "W1");
        await fixture.PublishedCircularAsync("Feed: amber for 3 Wing", TlpLabel.Amber, audienceUnitCode: "W3");
        var staff = await fixture.SignedInAs(Scenarios.Staff);

        var feed = XDocument.Parse(await staff.Http.GetStringAsync("/circulars/feed.atom")).Root!;

        var titles = feed.Elements(Atom + "entry").Select(e => e.Element(Atom + "title")!.Value).ToList();
        titles.ShouldContain(t => t.EndsWith("Feed: amber for 1 Wing", StringComparison.Ordinal));
        titles.ShouldNotContain(t => t.EndsWith("Feed: amber for 3 Wing", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_amendment_is_a_new_entry_first_in_the_feed()
    {
        var id = await fixture.PublishedCircularAsync("Feed: amended Model A");
        await fixture.AmendAsync(id, "Clarified the required actions.");

        var feed = XDocument.Parse(await fixture.Client().Http.GetStringAsync("/circulars/feed.atom")).Root!;

        var reference = await fixture.ReferenceNumberAsync(id);
        var entries = feed.Elements(Atom + "entry").ToList();
        entries[0].Element(Atom + "title")!.Value.ShouldBe($"{reference} (revision 2): Feed: amended Model A");
        var ids = entries.Where(e => e.Element(Atom + "title")!.Value.StartsWith(reference, StringComparison.Ordinal))
            .Select(e => e.Element(Atom + "id")!.Value).ToList();
        ids.Count.ShouldBe(2);
        ids.Distinct().Count().ShouldBe(2);
    }

    [Fact]
    public async Task Pages_link_the_feed_in_their_head()
    {
        var (_, page) = await fixture.Client().GetPageAsync("/account/sign-in");

        var link = page.QuerySelector("head link[rel=alternate][type='application/atom+xml']");
        link.ShouldNotBeNull();
        link.GetAttribute("href").ShouldBe("/circulars/feed.atom");
    }
}
