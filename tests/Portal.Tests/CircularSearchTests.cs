using AngleSharp.Html.Dom;
using Portal.Web.Domain;

namespace Portal.Tests;

public sealed class CircularSearchTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    /// <summary>A made-up word only this test's circulars contain, so tests sharing the database do not find each other's.</summary>
    private static string Word() => "zq" + Guid.NewGuid().ToString("N")[..8].Replace('0', 'a').Replace('1', 'b');

    private static async Task<IHtmlDocument> SearchAsync(PortalClient client, string q)
    {
        var (response, page) = await client.GetPageAsync("/circulars?q=" + Uri.EscapeDataString(q));
        response.StatusCode.ShouldBe(HttpStatusCode.OK, $"searching for {q}");
        return page;
    }

    private static List<string> Titles(IHtmlDocument page) =>
        page.QuerySelectorAll("tbody tr td:first-child a").Select(a => a.TextContent).ToList();

    [Fact]
    public async Task A_title_match_ranks_above_a_match_in_the_text()
    {
        var word = Word();
        // The title match is published first, so newest-first would put it last.
        await fixture.PublishedWithAsync(Scenarios.DraftFields(fixture.Clock, $"The {word} handset sends contacts abroad"));
        await fixture.PublishedWithAsync(Scenarios.DraftFields(fixture.Clock, "Phones in the background check")
            .With(("Background", $"Earlier reports of {word} traffic were not confirmed.")));
        var staff = await fixture.SignedInAs(Scenarios.Staff);

        var page = await SearchAsync(staff, word);
        Titles(page).ShouldBe([$"The {word} handset sends contacts abroad", "Phones in the background check"]);
        page.QuerySelector("caption")!.TextContent.ShouldBe("Best match first");
    }

    [Fact]
    public async Task Results_quote_the_text_with_the_words_marked_and_nothing_else_as_markup()
    {
        var word = Word();
        await fixture.PublishedWithAsync(Scenarios.DraftFields(fixture.Clock, "Snippet sample")
            .With(("RiskAssessment", $"Staff using the <b>{word}</b> app <script>alert(1)</script> & \"tools\" lose 5 < 6 **contacts**.")));
        var staff = await fixture.SignedInAs(Scenarios.Staff);

        var page = await SearchAsync(staff, word);
        var snippet = page.QuerySelector("tbody tr .snippet")!;
        snippet.QuerySelectorAll("mark").Select(m => m.TextContent).ShouldBe([word]);
        snippet.QuerySelector("script").ShouldBeNull();
        snippet.QuerySelector("b").ShouldBeNull();
        // ts_headline leaves out what looks like a tag; the rest arrives as text, encoded.
        snippet.TextContent.ShouldContain("app alert(1) & \"tools\" lose 5 < 6 contacts");
        snippet.TextContent.ShouldNotContain("**");
        snippet.TextContent.ShouldNotContain('\uE000');
    }

    [Fact]
    public async Task A_reference_number_finds_its_circular()
    {
        var id = await fixture.PublishedWithAsync(Scenarios.DraftFields(fixture.Clock, "Found by its reference"));
        var reference = await fixture.ReferenceNumberAsync(id);
        var staff = await fixture.SignedInAs(Scenarios.Staff);

        Titles(await SearchAsync(staff, reference)).First().ShouldBe("Found by its reference");
        Titles(await SearchAsync(staff, reference.ToLowerInvariant())).First().ShouldBe("Found by its reference");
        Titles(await SearchAsync(staff, $" {reference} ")).First().ShouldBe("Found by its reference");
        // A partial number is a prefix of every number that starts with it.
        Titles(await SearchAsync(staff, reference[..^1])).ShouldContain("Found by its reference");
        Titles(await SearchAsync(staff, "SEC/ADV/%")).ShouldBeEmpty("a LIKE wildcard is a character like any other");
    }

    [Fact]
    public async Task Staff_outside_the_audience_never_find_an_amber_circular()
    {
        var word = Word();
        var id = await fixture.PublishedWithAsync(Scenarios.DraftFields(fixture.Clock, $"Amber {word} for 2 Wing only", TlpLabel.Amber), audienceUnitCode: "SQ210");
        var reference = await fixture.ReferenceNumberAsync(id);
        var staff = await fixture.SignedInAs(Scenarios.Staff);
        var officer = await fixture.SignedInAs(Scenarios.Officer);

        Titles(await SearchAsync(staff, word)).ShouldBeEmpty();
        Titles(await SearchAsync(staff, reference)).ShouldBeEmpty();
        (await SearchAsync(staff, word)).QuerySelector("[role=status]")!.TextContent.ShouldBe("0 circulars found.");
        Titles(await SearchAsync(officer, word)).ShouldBe([$"Amber {word} for 2 Wing only"]);
        Titles(await SearchAsync(officer, reference)).ShouldBe([$"Amber {word} for 2 Wing only"]);
    }

    [Fact]
    public async Task Staff_search_the_published_text_never_the_amendment_in_progress()
    {
        var published = Word();
        var amended = Word();
        var fields = Scenarios.DraftFields(fixture.Clock, "Amendment search sample").With(("Summary", $"The {published} model leaks contacts."));
        var id = await fixture.PublishedWithAsync(fields);
        await fixture.AmendTextAsync(id, fields.With(("Summary", $"The {amended} model leaks contacts.")), "Renamed the model.", approve: false);
        var staff = await fixture.SignedInAs(Scenarios.Staff);
        var officer = await fixture.SignedInAs(Scenarios.Officer);

        Titles(await SearchAsync(staff, amended)).ShouldBeEmpty();
        var page = await SearchAsync(staff, published);
        Titles(page).ShouldBe(["Amendment search sample"]);
        page.QuerySelector(".snippet")!.TextContent.ShouldNotContain(amended);
        page.QuerySelector(".snippet mark")!.TextContent.ShouldBe(published);

        var officers = await SearchAsync(officer, amended);
        Titles(officers).ShouldBe(["Amendment search sample"]);
        officers.QuerySelector(".snippet mark")!.TextContent.ShouldBe(amended);
    }

    [Fact]
    public async Task Internal_notes_are_never_searched()
    {
        var word = Word();
        await fixture.PublishedWithAsync(Scenarios.DraftFields(fixture.Clock, "Notes sample").With(("InternalNotes", $"Informant {word} must stay unnamed.")));
        var officer = await fixture.SignedInAs(Scenarios.Officer);
        var staff = await fixture.SignedInAs(Scenarios.Staff);

        Titles(await SearchAsync(officer, word)).ShouldBeEmpty();
        Titles(await SearchAsync(staff, word)).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("\"")]
    [InlineData("&")]
    [InlineData("a:*")]
    [InlineData("!(")]
    [InlineData("'); DROP TABLE circulars; --")]
    [InlineData("\\")]
    [InlineData("%_")]
    [InlineData("the")]
    [InlineData("-or OR \"unclosed")]
    [InlineData("<mark>")]
    [InlineData("\uE000")]
    public async Task Odd_queries_are_answered_not_failed(string q)
    {
        var staff = await fixture.SignedInAs(Scenarios.Staff);
        var page = await SearchAsync(staff, q);
        page.QuerySelector("#q")!.GetAttribute("value").ShouldBe(q);
    }

    [Fact]
    public async Task A_very_long_query_is_answered()
    {
        var staff = await fixture.SignedInAs(Scenarios.Staff);
        await SearchAsync(staff, string.Join(" ", Enumerable.Repeat("contacts & (sms | imei)", 200)));
    }

    [Fact]
    public async Task The_Hindi_version_is_searched_and_a_letter_typed_with_its_own_nukta_finds_the_precomposed_one()
    {
        // A made-up Devanagari word per run, so tests sharing the database do not find each other's.
        var word = "\u095B" + string.Concat(Guid.NewGuid().ToByteArray()[..4].Select(b => (char)('\u0915' + b % 20)));
        var id = await fixture.PublishedWithAsync(Scenarios.DraftFields(fixture.Clock, "Hindi version searched")
            .With(("HindiTitle", $"{word} फ़ोन पर प्रतिबंध"), ("HindiRequiredActions", "फ़ोन तुरंत जमा करें।")));
        await fixture.PublishedWithAsync(Scenarios.DraftFields(fixture.Clock, "Hindi actions searched")
            .With(("HindiRequiredActions", $"सरकारी काम के लिए {word} का उपयोग बंद करें।")));
        var staff = await fixture.SignedInAs(Scenarios.Staff);

        // The title match ranks first; the required actions are found too, and quoted.
        var page = await SearchAsync(staff, word);
        Titles(page).ShouldBe(["Hindi version searched", "Hindi actions searched"]);
        page.QuerySelectorAll("tbody tr .snippet mark").Select(m => m.TextContent.Normalize()).ShouldContain(word.Normalize());

        // The same word with ज + ़ (U+091C U+093C) instead of the precomposed ज़ (U+095B).
        var decomposed = "\u091C\u093C" + word[1..];
        decomposed.ShouldNotBe(word);
        Titles(await SearchAsync(staff, decomposed)).ShouldBe(["Hindi version searched", "Hindi actions searched"]);
        // The text is kept as typed.
        (await fixture.Db(db => db.Circulars.Where(c => c.Id == id).Select(c => c.Text.HindiTitle).SingleAsync())).ShouldStartWith(word);
    }
}
