using System.Text;
using Portal.Web.Data;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;

namespace Portal.Web.Features.Csaf;

/// <summary>index.txt (CSAF 2.0 section 7.1.12): the path of every TLP:WHITE document, one a line.</summary>
public static class WhiteIndex
{
    public sealed record Query : IRequest<byte[]>;

    internal sealed class Handler(PortalDbContext db) : IRequestHandler<Query, byte[]>
    {
        public async ValueTask<byte[]> Handle(Query request, CancellationToken ct)
        {
            var documents = await PublicDocuments.ListAsync(db, ct);
            return Encoding.UTF8.GetBytes(string.Concat(documents.Select(d => d.Path + "\n")));
        }
    }
}
