using System.Text.Json.Nodes;

namespace Portal.Tests;

/// <summary>
/// The schema check every CSAF test relies on: it must accept the OASIS examples and refuse broken
/// copies of them, so a validator that fails to run or checks nothing cannot pass a test silently.
/// </summary>
public sealed class CsafSchemaTests
{
    [Fact]
    public async Task The_oasis_example_advisory_is_a_valid_document() =>
        await CsafSchema.ShouldBeValidAsync(CsafSchema.Document, Example("example-bsi-2022-0001.json").ToJsonString());

    [Fact]
    public async Task The_oasis_example_provider_metadata_is_valid() =>
        await CsafSchema.ShouldBeValidAsync(CsafSchema.Provider, Example("example-provider-metadata.json").ToJsonString());

    [Fact]
    public async Task A_document_without_a_category_is_rejected()
    {
        var advisory = Example("example-bsi-2022-0001.json");
        advisory["document"]!.AsObject().Remove("category");

        var errors = await CsafSchema.ErrorsAsync(CsafSchema.Document, advisory.ToJsonString());

        errors.ShouldContain("/document must have required property 'category'");
    }

    [Fact]
    public async Task A_document_with_an_unknown_tracking_status_is_rejected()
    {
        var advisory = Example("example-bsi-2022-0001.json");
        advisory["document"]!["tracking"]!["status"] = "bogus";

        var errors = await CsafSchema.ErrorsAsync(CsafSchema.Document, advisory.ToJsonString());

        errors.ShouldHaveSingleItem().ShouldStartWith("/document/tracking/status must be equal to one of the allowed values");
    }

    [Fact]
    public async Task A_cvss_score_is_checked_against_the_first_cvss_schema()
    {
        var advisory = Example("example-bsi-2022-0001.json");
        advisory["vulnerabilities"]![0]!["scores"]![0]!["cvss_v3"]!["baseScore"] = 42;

        var errors = await CsafSchema.ErrorsAsync(CsafSchema.Document, advisory.ToJsonString());

        errors.ShouldContain("/vulnerabilities/0/scores/0/cvss_v3/baseScore must be <= 10");
    }

    [Fact]
    public async Task Provider_metadata_without_a_role_is_rejected()
    {
        var metadata = Example("example-provider-metadata.json");
        metadata.AsObject().Remove("role");

        var errors = await CsafSchema.ErrorsAsync(CsafSchema.Provider, metadata.ToJsonString());

        errors.ShouldBe(["/ must have required property 'role'"]);
    }

    [Fact]
    public async Task Provider_metadata_is_not_a_document()
    {
        var errors = await CsafSchema.ErrorsAsync(CsafSchema.Document, Example("example-provider-metadata.json").ToJsonString());

        errors.ShouldContain("/ must have required property 'document'");
    }

    [Fact]
    public async Task Text_that_is_not_json_is_rejected()
    {
        var errors = await CsafSchema.ErrorsAsync(CsafSchema.Document, "{ \"document\": ");

        errors.ShouldHaveSingleItem().ShouldStartWith("/ cannot be read as JSON");
    }

    [Fact]
    public async Task The_assertion_fails_listing_every_error()
    {
        var advisory = Example("example-bsi-2022-0001.json");
        advisory["document"]!.AsObject().Remove("category");
        advisory["document"]!["tracking"]!["status"] = "bogus";

        var failure = await Assert.ThrowsAsync<ShouldAssertException>(() => CsafSchema.ShouldBeValidAsync(CsafSchema.Document, advisory.ToJsonString()));

        failure.Message.ShouldContain("/document must have required property 'category'");
        failure.Message.ShouldContain("/document/tracking/status must be equal to one of the allowed values");
    }

    [Fact]
    public async Task An_unknown_kind_is_refused() =>
        await Should.ThrowAsync<ArgumentOutOfRangeException>(() => CsafSchema.ErrorsAsync("rolie", "{}"));

    private static JsonNode Example(string fileName) =>
        JsonNode.Parse(File.ReadAllText(CsafSchema.ExamplePath(fileName)))!;
}
