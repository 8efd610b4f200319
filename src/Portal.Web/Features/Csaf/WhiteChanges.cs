using System.Text;
using Portal.Web.Data;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;

namespace Portal.Web.Features.Csaf;

/// <summary>changes.csv (CSAF 2.0 section 7.1.13): path and current release date of every TLP:WHITE document, newest first.</summary>
public static class WhiteChanges
{
    public sealed record Query : IRequest<byte[]>;

    internal sealed class Handler(PortalDbContext db) : IRequestHandler<Query, byte[]>
    {
        public async ValueTask<byte[]> Handle(Query request, CancellationToken ct)
        {
            var documents = await PublicDocuments.ListAsync(db, ct);
            return Encoding.UTF8.GetBytes(string.Concat(documents.Select(d => $"\"{d.Path}\",\"{CsafNames.Date(d.CurrentRelease)}\"\n")));
        }
    }
}
