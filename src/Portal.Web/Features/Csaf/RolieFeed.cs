using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Portal.Web.Data;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Startup;

namespace Portal.Web.Features.Csaf;

/// <summary>The ROLIE feed of the TLP:WHITE documents (CSAF 2.0 section 7.1.15; RFC 8322 in JSON), newest change first.</summary>
public static class RolieFeed
{
    public sealed record Query : IRequest<byte[]>;

    internal sealed class Handler(PortalDbContext db, IOptions<PortalOptions> portal, IOptions<CsafOptions> csaf, TimeProvider clock)
        : IRequestHandler<Query, byte[]>
    {
        public async ValueTask<byte[]> Handle(Query request, CancellationToken ct)
        {
            var urls = CsafUrls.From(portal);
            var documents = await PublicDocuments.ListAsync(db, ct);
            var feed = new JsonObject
            {
                ["id"] = "advisory-portal-csaf-feed-tlp-white",
                ["title"] = $"{csaf.Value.PublisherName.Trim()}: CSAF documents (TLP:WHITE)",
                ["link"] = new JsonArray(new JsonObject { ["rel"] = "self", ["href"] = urls.WhiteFeed }),
                ["category"] = new JsonArray(new JsonObject { ["scheme"] = "urn:ietf:params:rolie:category:information-type", ["term"] = "csaf" }),
                ["updated"] = CsafNames.Date(documents.Count > 0 ? documents.Max(d => d.CurrentRelease) : clock.GetUtcNow()),
                ["entry"] = new JsonArray([.. documents.Select(d => (JsonNode)Entry(d, urls))]),
            };
            return CsafNames.Serialize(new JsonObject { ["feed"] = feed });
        }

        private static JsonObject Entry(PublicDocument d, CsafUrls urls)
        {
            var url = urls.WhiteDocument(d.Path);
            return new JsonObject
            {
                ["id"] = d.TrackingId,
                ["title"] = d.Title,
                ["link"] = new JsonArray(
                    new JsonObject { ["rel"] = "self", ["href"] = url },
                    new JsonObject { ["rel"] = "hash", ["href"] = url + ".sha512" }),
                ["published"] = CsafNames.Date(d.InitialRelease),
                ["updated"] = CsafNames.Date(d.CurrentRelease),
                ["summary"] = new JsonObject { ["content"] = d.Summary },
                ["content"] = new JsonObject { ["type"] = "application/json", ["src"] = url },
                ["format"] = new JsonObject { ["schema"] = CsafNames.SchemaUrl, ["version"] = "2.0" },
            };
        }
    }
}
