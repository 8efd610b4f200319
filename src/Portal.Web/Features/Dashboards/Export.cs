using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Auth;

namespace Portal.Web.Features.Dashboards;

/// <summary>
/// Every acknowledgement request of the asking revision in the selected unit's subtree, one CSV row each,
/// with the same scoping as the dashboard. The rows are streamed from the database to the response.
/// </summary>
public static class Export
{
    public sealed record Query(Guid CircularId, Guid? UnitId) : IRequest<Result>;

    public sealed record Result(string FileName, IReadOnlyList<string> Header, IAsyncEnumerable<string?[]> Rows);

    public static readonly IReadOnlyList<string> Header =
    [
        "Unit code", "Unit name", "Service number", "Staff name", "Recipient", "Family member", "Relationship",
        "Asked revision", "Acknowledged at (UTC)", "Acknowledged revision", "Channel",
    ];

    private sealed record Row(string UnitCode, string UnitName, string ServiceNumber, string StaffName, string? FamilyMember,
        string? Relationship, int AskedRevision, DateTimeOffset? AcknowledgedAt, int? AcknowledgedRevision, AcknowledgementChannel? Channel, bool Family);

    internal sealed class Handler(ICurrentUser user, PortalDbContext db) : IRequestHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query request, CancellationToken ct)
        {
            var scope = await DashboardScope.ResolveAsync(db, user, request.CircularId, request.UnitId, ct);
            var name = (scope.ReferenceNumber ?? scope.CircularId.ToString("N")[..8])
                + (scope.Depth > 0 ? "-" + scope.Unit.Code : "") + "-acknowledgements.csv";
            return new Result(name, Header, RowsAsync(scope, ct));
        }

        private async IAsyncEnumerable<string?[]> RowsAsync(DashboardScope scope, [EnumeratorCancellation] CancellationToken ct)
        {
            var rows =
                from a in db.AcknowledgementRequests.AsNoTracking()
                where a.CircularId == scope.CircularId && a.RevisionNumber == scope.AskedRevision
                join u in db.Units on a.UnitId equals u.Id
                where u.Path.StartsWith(scope.Path)
                join s in db.StaffMembers on a.StaffMemberId equals s.Id
                join d in db.Dependents on a.DependentId equals d.Id into family
                from d in family.DefaultIfEmpty()
                orderby u.Code, s.ServiceNumber, a.DependentId != null, d.FullName
                select new Row(u.Code, u.Name, s.ServiceNumber, s.FullName, d != null ? d.FullName : null, d != null ? d.Relationship : null,
                    a.RevisionNumber, a.AcknowledgedAt, a.AcknowledgedRevision, a.Channel, a.DependentId != null);
            await foreach (var row in rows.AsAsyncEnumerable().WithCancellation(ct))
            {
                yield return
                [
                    row.UnitCode, row.UnitName, row.ServiceNumber, row.StaffName, row.Family ? "Family" : "Staff", row.FamilyMember, row.Relationship,
                    row.AskedRevision.ToString(CultureInfo.InvariantCulture),
                    row.AcknowledgedAt?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                    row.AcknowledgedRevision?.ToString(CultureInfo.InvariantCulture),
                    row.Channel?.ToString(),
                ];
            }
        }
    }
}
