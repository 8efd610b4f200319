using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Infrastructure.Web;

namespace Portal.Web.Features.Circulars;

/// <summary>What the rules, audience and sources pages say about the circular above their lists.</summary>
public sealed record WorkingCopyHeading(Guid Id, string Title, string? ReferenceNumber, string Part, Sentence? Refusal);

internal static class WorkingCopy
{
    /// <summary>The version of the circular the page shows; its forms post it back.</summary>
    public static async Task<uint> VersionAsync(this PortalDbContext db, Guid id, CancellationToken ct) =>
        await db.Circulars.AsNoTracking().Where(c => c.Id == id).Select(c => (uint?)c.Version).FirstOrDefaultAsync(ct)
            ?? throw new NotFoundException("The circular");

    public static WorkingCopyHeading Heading(this Circular circular, string part) =>
        new(circular.Id, circular.Text.Title, circular.ReferenceNumber, part, circular.EditingRefusal());
}
