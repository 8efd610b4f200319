using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Portal.Web.Data;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Startup;

namespace Portal.Web.Features.Csaf;

/// <summary>
/// provider-metadata.json (CSAF 2.0 sections 7.1.7 and 7.1.9): the portal as a csaf_provider of its
/// TLP:WHITE documents, reachable both as a directory (index.txt, changes.csv, year folders) and as a ROLIE feed.
/// </summary>
public static class ProviderMetadata
{
    public sealed record Query : IRequest<byte[]>;

    internal sealed class Handler(PortalDbContext db, IOptions<PortalOptions> portal, IOptions<CsafOptions> csaf, TimeProvider clock)
        : IRequestHandler<Query, byte[]>
    {
        public async ValueTask<byte[]> Handle(Query request, CancellationToken ct)
        {
            var urls = CsafUrls.From(portal);
            var options = csaf.Value;
            var documents = await PublicDocuments.ListAsync(db, ct);
            var metadata = new JsonObject
            {
                ["canonical_url"] = urls.ProviderMetadata,
                ["distributions"] = new JsonArray(new JsonObject
                {
                    ["directory_url"] = urls.WhiteDirectory,
                    ["rolie"] = new JsonObject
                    {
                        ["feeds"] = new JsonArray(new JsonObject
                        {
                            ["summary"] = "All TLP:WHITE (TLP:CLEAR) circulars as CSAF documents.",
                            ["tlp_label"] = "WHITE",
                            ["url"] = urls.WhiteFeed,
                        }),
                    },
                }),
                ["last_updated"] = CsafNames.Date(documents.Count > 0 ? documents.Max(d => d.CurrentRelease) : clock.GetUtcNow()),
                ["list_on_CSAF_aggregators"] = options.ListOnAggregators,
                ["metadata_version"] = "2.0",
                ["mirror_on_CSAF_aggregators"] = options.MirrorOnAggregators,
                ["publisher"] = CsafDocument.Publisher(options, urls),
                ["role"] = "csaf_provider",
            };
            return CsafNames.Serialize(metadata);
        }
    }
}
