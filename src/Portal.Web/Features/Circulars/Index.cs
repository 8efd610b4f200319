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

    public sealed record Row
    {
        public Guid Id { get; init; }
        public string? ReferenceNumber { get; init; }
        public string Title { get; init; } = "";
        public CircularStatus Status { get; init; }
        public AmendmentStatus Amendment { get; init; }
        public Severity Severity { get; init; }
        public TlpLabel Tlp { get; init; }
        public DateOnly AcknowledgementDeadline { get; init; }
        public DateTimeOffset UpdatedAt { get; init; }
    }

    public sealed record Result(Query Filter, IReadOnlyList<Row> Rows, int Total, int Page, int Pages);

    internal sealed class Handler(PortalDbContext db) : IRequestHandler<Query, Result>
    {
        public async Task<Result> Handle(Query request, CancellationToken ct)
        {
            var reader = await Reader.ForAsync(db, request.Reader!, ct);
            var visible = db.Circulars.AsNoTracking().VisibleTo(reader);
            // Officers list the working copies; everyone else what was published.
            var query = reader.ReadsDrafts
                ? visible.Select(c => new Row
                {
                    Id = c.Id, ReferenceNumber = c.ReferenceNumber, Title = c.Title, Status = c.Status, Amendment = c.Amendment,
                    Severity = c.Severity, Tlp = c.Tlp, AcknowledgementDeadline = c.AcknowledgementDeadline, UpdatedAt = c.UpdatedAt,
                })
                : visible.Select(c => new Row
                {
                    Id = c.Id, ReferenceNumber = c.ReferenceNumber, Title = c.CurrentRevision!.Title, Status = c.Status, Amendment = AmendmentStatus.None,
                    Severity = c.CurrentRevision.Severity, Tlp = c.CurrentRevision.Tlp, AcknowledgementDeadline = c.CurrentRevision.AcknowledgementDeadline,
                    UpdatedAt = c.ClosedAt ?? c.CurrentRevision.PublishedAt,
                });
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
                .ToListAsync(ct);
            return new Result(request, rows, total, page, pages);
        }
    }
}
