using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Web.Data;
using Portal.Web.Features.Circulars;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Startup;
using Portal.Web.Infrastructure.Web;

namespace Portal.Web.Features.Csaf;

/// <summary>
/// A TLP:WHITE document of the provider, found by its year folder and file name (CSAF 2.0 sections 5.1
/// and 7.1.11), with its SHA-512 line (7.1.18) computed from the very bytes served.
/// </summary>
public static class WhiteDocument
{
    public sealed record Query(int Year, string FileName) : IRequest<Result>;

    public sealed record Result(byte[] Json, byte[] Sha512);

    internal sealed class Handler(PortalDbContext db, IOptions<PortalOptions> portal, IOptions<CsafOptions> csaf) : IRequestHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query request, CancellationToken ct)
        {
            // Reference numbers are few (hundreds); matching their file names here keeps the naming rule in one place.
            var candidates = await db.Circulars.AsNoTracking().VisibleTo(Reader.Anonymous)
                .Where(c => c.ReferenceNumber != null && c.FirstPublishedAt != null)
                .Select(c => new { c.Id, c.ReferenceNumber })
                .ToListAsync(ct);
            var urls = CsafUrls.From(portal);
            foreach (var candidate in candidates.Where(c => CsafNames.FileName(c.ReferenceNumber!) == request.FileName))
            {
                var subject = await CsafSubjects.LoadAsync(db, Reader.Anonymous, candidate.Id, null, urls, ct);
                if (subject is null || subject.History[0].PublishedAt.UtcDateTime.Year != request.Year)
                    continue;
                var json = CsafNames.Serialize(CsafDocument.Build(subject, csaf.Value, urls));
                var hash = Convert.ToHexStringLower(SHA512.HashData(json));
                return new Result(json, Encoding.UTF8.GetBytes($"{hash}  {request.FileName}\n"));
            }
            throw new NotFoundException("The document");
        }
    }
}
