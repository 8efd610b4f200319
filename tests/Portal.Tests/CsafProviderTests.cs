using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Portal.Web.Features.Csaf;
using Portal.Web.Domain;

namespace Portal.Tests;

/// <summary>The CSAF provider under /.well-known/csaf: TLP:CLEAR circulars only, open to anyone.</summary>
public sealed class CsafProviderTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private const string Base = "http://localhost:5080/.well-known/csaf";

    [Fact]
    public async Task Provider_metadata_is_valid_and_served_without_an_account()
    {
        var response = await fixture.Client().Http.GetAsync("/.well-known/csaf/provider-metadata.json");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        var json = await response.Content.ReadAsStringAsync();
        await CsafSchema.ShouldBeValidAsync(CsafSchema.Provider, json);
        var metadata = JsonNode.Parse(json)!;
        ((string)metadata["canonical_url"]!).ShouldBe($"{Base}/provider-metadata.json");
        ((string)metadata["role"]!).ShouldBe("csaf_provider");
        ((string)metadata["metadata_version"]!).ShouldBe("2.0");
        var distribution = metadata["distributions"]!.AsArray().ShouldHaveSingleItem()!;
        ((string)distribution["directory_url"]!).ShouldBe($"{Base}/white/");
        var feed = distribution["rolie"]!["feeds"]!.AsArray().ShouldHaveSingleItem()!;
        ((string)feed["tlp_label"]!).ShouldBe("WHITE");
        ((string)feed["url"]!).ShouldBe($"{Base}/white/feed-tlp-white.json");
        ((string)metadata["publisher"]!["namespace"]!).ShouldBe("http://localhost:5080");
    }

    [Fact]
    public async Task A_clear_circular_is_listed_everywhere_and_its_hash_matches_the_served_bytes()
    {
        var id = await fixture.PublishedCircularAsync("Public warning about Model P");
        var reference = await fixture.ReferenceNumberAsync(id);
        var path = await fixture.WhitePathAsync(id);
        var anonymous = fixture.Client().Http;

        var index = await anonymous.GetAsync("/.well-known/csaf/white/index.txt");
        index.StatusCode.ShouldBe(HttpStatusCode.OK);
        index.Content.Headers.ContentType!.MediaType.ShouldBe("text/plain");
        (await index.Content.ReadAsStringAsync()).Split('\n').ShouldContain(path);

        var changes = await anonymous.GetAsync("/.well-known/csaf/white/changes.csv");
        changes.StatusCode.ShouldBe(HttpStatusCode.OK);
        changes.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        var row = (await changes.Content.ReadAsStringAsync()).Split('\n').Single(l => l.StartsWith($"\"{path}\",", StringComparison.Ordinal));

        var feed = JsonNode.Parse(await anonymous.GetStringAsync("/.well-known/csaf/white/feed-tlp-white.json"))!["feed"]!;
        var entry = feed["entry"]!.AsArray().Single(e => (string)e!["id"]! == reference)!;
        var links = entry["link"]!.AsArray();
        ((string)links.Single(l => (string)l!["rel"]! == "self")!["href"]!).ShouldBe($"{Base}/white/{path}");
        ((string)links.Single(l => (string)l!["rel"]! == "hash")!["href"]!).ShouldBe($"{Base}/white/{path}.sha512");
        ((string)entry["format"]!["version"]!).ShouldBe("2.0");

        var document = await anonymous.GetAsync($"/.well-known/csaf/white/{path}");
        document.StatusCode.ShouldBe(HttpStatusCode.OK);
        document.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        var bytes = await document.Content.ReadAsByteArrayAsync();
        var csaf = await CsafChecks.ShouldBeValidDocumentAsync(System.Text.Encoding.UTF8.GetString(bytes));
        ((string)csaf["document"]!["tracking"]!["id"]!).ShouldBe(reference);
        row.ShouldBe($"\"{path}\",\"{(string)csaf["document"]!["tracking"]!["current_release_date"]!}\"");
        ((string)entry["updated"]!).ShouldBe((string)csaf["document"]!["tracking"]!["current_release_date"]!);
        csaf["document"]!["references"]!.AsArray().ShouldContain(r => (string)r!["category"]! == "self" && (string)r["url"]! == $"{Base}/white/{path}");

        var hash = await anonymous.GetAsync($"/.well-known/csaf/white/{path}.sha512");
        hash.StatusCode.ShouldBe(HttpStatusCode.OK);
        hash.Content.Headers.ContentType!.MediaType.ShouldBe("text/plain");
        (await hash.Content.ReadAsStringAsync()).ShouldBe($"{Convert.ToHexStringLower(SHA512.HashData(bytes))}  {path.Split('/')[1]}\n");
        (await anonymous.GetByteArrayAsync($"/.well-known/csaf/white/{path}")).ShouldBe(bytes);
    }

    [Fact]
    public async Task Changes_list_the_newest_change_first()
    {
        var older = await fixture.PublishedCircularAsync("Older public circular");
        var newer = await fixture.PublishedCircularAsync("Newer public circular");

        var rows = (await fixture.Client().Http.GetStringAsync("/.well-known/csaf/white/changes.csv")).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        rows.Select(r => r.Split(',')[1]).ShouldBe(rows.Select(r => r.Split(',')[1]).OrderDescending(StringComparer.Ordinal));
        var paths = rows.Select(r => r.Split(',')[0].Trim('"')).ToList();
        paths.IndexOf(await fixture.WhitePathAsync(newer)).ShouldBeLessThan(paths.IndexOf(await fixture.WhitePathAsync(older)));
    }

    [Fact]
    public async Task Circulars_that_are_not_clear_and_drafts_never_appear_in_the_provider()
    {
        var hidden = new List<Guid>();
        foreach (var tlp in new[] { TlpLabel.Green, TlpLabel.Amber, TlpLabel.AmberStrict, TlpLabel.Red })
            hidden.Add(await fixture.PublishedCircularAsync($"Restricted circular {tlp} Q7", tlp));
        var officer = await fixture.SignedInAs(Scenarios.Officer);
        await fixture.DraftAsync(officer, "Unpublished draft Q7");
        var anonymous = fixture.Client().Http;

        var lists = string.Join("\n",
            await anonymous.GetStringAsync("/.well-known/csaf/white/index.txt"),
            await anonymous.GetStringAsync("/.well-known/csaf/white/changes.csv"),
            await anonymous.GetStringAsync("/.well-known/csaf/white/feed-tlp-white.json"),
            await anonymous.GetStringAsync("/.well-known/csaf/provider-metadata.json"));

        lists.ShouldNotContain("Q7");
        foreach (var id in hidden)
        {
            var path = await fixture.WhitePathAsync(id);
            lists.ShouldNotContain(path);
            lists.ShouldNotContain(await fixture.ReferenceNumberAsync(id));
            (await anonymous.GetAsync($"/.well-known/csaf/white/{path}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
            (await anonymous.GetAsync($"/.well-known/csaf/white/{path}.sha512")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        }
    }

    [Fact]
    public async Task A_circular_amended_from_clear_to_amber_leaves_the_provider()
    {
        var id = await fixture.PublishedCircularAsync("Public at first R5");
        var path = await fixture.WhitePathAsync(id);
        var anonymous = fixture.Client().Http;
        (await anonymous.GetAsync($"/.well-known/csaf/white/{path}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        await fixture.AmendAsync(id, "Restricted after the vendor's complaint.", Scenarios.DraftFields(fixture.Clock, "Restricted now R5", TlpLabel.Amber));

        (await anonymous.GetAsync($"/.well-known/csaf/white/{path}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await anonymous.GetStringAsync("/.well-known/csaf/white/index.txt")).ShouldNotContain(path);
        (await anonymous.GetStringAsync("/.well-known/csaf/white/feed-tlp-white.json")).ShouldNotContain("R5");
    }

    [Fact]
    public async Task A_withdrawn_clear_circular_stays_listed_with_the_withdrawal_as_its_latest_change()
    {
        var id = await fixture.PublishedCircularAsync("Public, then withdrawn");
        await fixture.WithdrawAsync(id, "Published in error.");
        var path = await fixture.WhitePathAsync(id);
        var anonymous = fixture.Client().Http;

        var csaf = await CsafChecks.ShouldBeValidDocumentAsync(await anonymous.GetStringAsync($"/.well-known/csaf/white/{path}"));

        ((string)csaf["document"]!["notes"]![0]!["title"]!).ShouldBe("Withdrawn");
        var changed = (string)csaf["document"]!["tracking"]!["current_release_date"]!;
        changed.ShouldNotBe((string)csaf["document"]!["tracking"]!["initial_release_date"]!);
        (await anonymous.GetStringAsync("/.well-known/csaf/white/changes.csv")).ShouldContain($"\"{path}\",\"{changed}\"");
    }

    [Fact]
    public async Task Unknown_documents_are_not_found()
    {
        var anonymous = fixture.Client().Http;

        (await anonymous.GetAsync($"/.well-known/csaf/white/{fixture.Clock.GetUtcNow().Year}/sec_adv_1999_999.json")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_document_in_the_wrong_year_folder_is_not_found()
    {
        var id = await fixture.PublishedCircularAsync("Public in its own year");
        var path = await fixture.WhitePathAsync(id);
        var wrongYear = $"{int.Parse(path[..4]) - 1}{path[4..]}";

        (await fixture.Client().Http.GetAsync($"/.well-known/csaf/white/{wrongYear}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public void An_unknown_publisher_category_is_refused_by_the_options_validation()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Portal:Csaf:PublisherCategory"] = "government" }).Build();
        using var services = new ServiceCollection().AddPortalCsaf(configuration).BuildServiceProvider();

        var failure = Should.Throw<OptionsValidationException>(() => services.GetRequiredService<IOptions<CsafOptions>>().Value);

        failure.Message.ShouldContain("Portal:Csaf:PublisherCategory must be one of");
    }
}
