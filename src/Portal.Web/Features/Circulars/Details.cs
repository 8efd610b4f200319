using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Infrastructure.Mediator;
using Portal.Web.Infrastructure.Web;

namespace Portal.Web.Features.Circulars;

public static class Details
{
    public sealed record Query(Guid Id, ClaimsPrincipal Reader) : IRequest<Result>;

    public sealed record Result(
        Guid Id, string? ReferenceNumber, string Title, CircularStatus Status, Severity Severity, TlpLabel Tlp,
        string Summary, string Background, string RiskAssessment, string Impact, string RequiredActions, string References,
        DateOnly AcknowledgementDeadline, string Author, DateTimeOffset CreatedAt, string Editor, DateTimeOffset UpdatedAt);

    internal sealed class Handler(PortalDbContext db) : IRequestHandler<Query, Result>
    {
        public async Task<Result> Handle(Query request, CancellationToken ct) =>
            await db.Circulars.AsNoTracking().VisibleTo(request.Reader)
                .Where(c => c.Id == request.Id)
                .Select(c => new Result(c.Id, c.ReferenceNumber, c.Title, c.Status, c.Severity, c.Tlp,
                    c.Summary, c.Background, c.RiskAssessment, c.Impact, c.RequiredActions, c.References,
                    c.AcknowledgementDeadline,
                    db.Users.Where(u => u.Id == c.CreatedById).Select(u => u.DisplayName).First(), c.CreatedAt,
                    db.Users.Where(u => u.Id == c.UpdatedById).Select(u => u.DisplayName).First(), c.UpdatedAt))
                .FirstOrDefaultAsync(ct)
            ?? throw new NotFoundException("The circular");
    }
}
