using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Infrastructure.Mediator;

namespace Portal.Web.Features.Circulars;

/// <summary>The circulars a user may see, filtered and paged, newest change first.</summary>
public static class Index
{
    public const int PageSize = 20;

    public sealed record Query : IRequest<Result>
    {
        public string? Q { get; init; }
        public CircularStatus? Status { get; init; }
        public Severity? Severity { get; init; }
        public TlpLabel? Tlp { get; init; }
        public int Page { get; init; } = 1;
        public ClaimsPrincipal? Reader { get; set; }
    }

    public sealed record Row(Guid Id, string? ReferenceNumber, string Title, CircularStatus Status, Severity Severity, TlpLabel Tlp, DateOnly AcknowledgementDeadline, DateTimeOffset UpdatedAt);

    public sealed record Result(Query Filter, IReadOnlyList<Row> Rows, int Total, int Page, int Pages);

    internal sealed class Handler(PortalDbContext db) : IRequestHandler<Query, Result>
    {
        public async Task<Result> Handle(Query request, CancellationToken ct)
        {
            var query = db.Circulars.AsNoTracking().VisibleTo(request.Reader!);
            if (!string.IsNullOrWhiteSpace(request.Q))
            {
                var pattern = "%" + request.Q.Trim().Replace("\\", "\\\\", StringComparison.Ordinal)
                    .Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
                query = query.Where(c => EF.Functions.ILike(c.Title, pattern) || EF.Functions.ILike(c.ReferenceNumber!, pattern));
            }
            if (request.Status is { } status) query = query.Where(c => c.Status == status);
            if (request.Severity is { } severity) query = query.Where(c => c.Severity == severity);
            if (request.Tlp is { } tlp) query = query.Where(c => c.Tlp == tlp);

            var total = await query.CountAsync(ct);
            var pages = Math.Max(1, (total + PageSize - 1) / PageSize);
            var page = Math.Clamp(request.Page, 1, pages);
            var rows = await query.OrderByDescending(c => c.UpdatedAt).ThenBy(c => c.Id)
                .Skip((page - 1) * PageSize).Take(PageSize)
                .Select(c => new Row(c.Id, c.ReferenceNumber, c.Title, c.Status, c.Severity, c.Tlp, c.AcknowledgementDeadline, c.UpdatedAt))
                .ToListAsync(ct);
            return new Result(request, rows, total, page, pages);
        }
    }
}
