using System.Security.Claims;
using Microsoft.Extensions.Options;
using Portal.Web.Data;
using Portal.Web.Features.Circulars;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Startup;
using Portal.Web.Infrastructure.Web;
using Portal.Web.Infrastructure.Auth;

namespace Portal.Web.Features.Csaf;

/// <summary>The CSAF 2.0 document of one published revision, for a signed-in reader who may read that revision.</summary>
public static class RevisionDocument
{
    public sealed record Query(Guid CircularId, int Number) : IRequest<byte[]>;

    internal sealed class Handler(ICurrentUser user, PortalDbContext db, IOptions<PortalOptions> portal, IOptions<CsafOptions> csaf) : IRequestHandler<Query, byte[]>
    {
        public async ValueTask<byte[]> Handle(Query request, CancellationToken ct)
        {
            var reader = await Reader.ForAsync(db, user, ct);
            var urls = CsafUrls.From(portal);
            var subject = await CsafSubjects.LoadAsync(db, reader, request.CircularId, request.Number, urls, ct)
                ?? throw new NotFoundException("The revision");
            return CsafNames.Serialize(CsafDocument.Build(subject, csaf.Value, urls));
        }
    }
}
