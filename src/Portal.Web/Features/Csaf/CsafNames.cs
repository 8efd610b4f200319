using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Portal.Web.Domain;
using Portal.Web.Infrastructure.Startup;

namespace Portal.Web.Features.Csaf;

/// <summary>The naming and formatting rules of CSAF 2.0 that the documents, the provider and its lists must agree on.</summary>
public static class CsafNames
{
    public const string SchemaUrl = "https://docs.oasis-open.org/csaf/csaf/v2.0/csaf_json_schema.json";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        // Served as application/json with nosniff, so HTML-sensitive characters need no escaping.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// CSAF 2.0 section 5.1: the tracking id in lower case, every run of characters outside [+\-a-z0-9]
    /// replaced by one underscore, then ".json" ("SEC/ADV/2026/014" becomes "sec_adv_2026_014.json").
    /// </summary>
    public static string FileName(string trackingId)
    {
        var name = new StringBuilder(trackingId.Length + 5);
        var inRun = false;
        foreach (var ch in trackingId.ToLowerInvariant())
        {
            if (ch is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '+' or '-')
            {
                name.Append(ch);
                inRun = false;
            }
            else if (!inRun)
            {
                name.Append('_');
                inRun = true;
            }
        }
        return name.Append(".json").ToString();
    }

    /// <summary>CSAF 2.0 section 7.1.11: a document sits in the folder of the year of its initial release.</summary>
    public static string WhitePath(string trackingId, DateTimeOffset initialRelease) =>
        $"{initialRelease.UtcDateTime.Year:0000}/{FileName(trackingId)}";

    /// <summary>
    /// When the document last changed. A withdrawal or supersession adds a note without a new revision,
    /// so it moves the date too: aggregators watching changes.csv then fetch the document again.
    /// </summary>
    public static DateTimeOffset CurrentRelease(DateTimeOffset revisionPublishedAt, DateTimeOffset? closedAt) =>
        closedAt is { } closed && closed > revisionPublishedAt ? closed : revisionPublishedAt;

    /// <summary>One format for every date, so a document, changes.csv and the feed show the same string.</summary>
    public static string Date(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>CSAF 2.0 carries TLP 1.0 labels: CLEAR is WHITE, and AMBER+STRICT can only be given as AMBER.</summary>
    public static string TlpV1(TlpLabel tlp) => tlp switch
    {
        TlpLabel.Clear => "WHITE",
        TlpLabel.Green => "GREEN",
        TlpLabel.Amber or TlpLabel.AmberStrict => "AMBER",
        TlpLabel.Red => "RED",
        _ => throw new ArgumentOutOfRangeException(nameof(tlp), tlp, null),
    };

    /// <summary>The bytes served: serialised once, so a .sha512 beside a document is the hash of exactly these.</summary>
    public static byte[] Serialize(JsonNode node) => JsonSerializer.SerializeToUtf8Bytes(node, JsonOptions);
}

/// <summary>Where the portal publishes CSAF: the provider under /.well-known/csaf (TLP:CLEAR only) and each revision behind sign-in.</summary>
public sealed record CsafUrls(string BaseUrl)
{
    public static CsafUrls From(IOptions<PortalOptions> options) => new(options.Value.BaseUrl.TrimEnd('/'));

    public string ProviderMetadata => BaseUrl + "/.well-known/csaf/provider-metadata.json";
    public string WhiteDirectory => BaseUrl + "/.well-known/csaf/white/";
    public string WhiteFeed => WhiteDirectory + "feed-tlp-white.json";

    /// <summary>A TLP:WHITE document by its path under the directory, e.g. "2026/sec_adv_2026_014.json".</summary>
    public string WhiteDocument(string path) => WhiteDirectory + path;

    public string Revision(Guid circularId, int number) => $"{BaseUrl}/circulars/{circularId}/revisions/{number}/csaf.json";
    public string Circular(Guid circularId) => $"{BaseUrl}/circulars/{circularId}";
}
