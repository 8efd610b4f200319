using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;
using Mediator;
using Npgsql;
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

    internal sealed class Handler(ICurrentUser user, PortalDbContext db) : IRequestHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query request, CancellationToken ct)
        {
            var scope = await DashboardScope.ResolveAsync(db, user, request.CircularId, request.UnitId, ct);
            var name = (scope.ReferenceNumber ?? scope.CircularId.ToString("N")[..8])
                + (scope.Depth > 0 ? "-" + scope.Unit.Code : "") + "-acknowledgements.csv";
            return new Result(name, Header, RowsAsync(scope, ct));
        }

        /// <summary>
        /// One statement read with Npgsql's reader straight into cells, no entity materialised, written out in chunks
        /// by the CSV result (docs/decisions/0061-acknowledgement-storm-and-dashboards-at-full-scale.md).
        /// </summary>
        private async IAsyncEnumerable<string?[]> RowsAsync(DashboardScope scope, [EnumeratorCancellation] CancellationToken ct)
        {
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            await db.Database.OpenConnectionAsync(ct);
            try
            {
                await using var command = new NpgsqlCommand("""
                    SELECT u.code, u.name, s.service_number, s.full_name, a.dependent_id IS NOT NULL, d.full_name, d.relationship,
                           a.revision_number, a.acknowledged_at, a.acknowledged_revision, a.channel
                    FROM acknowledgement_requests a
                    JOIN units u ON u.id = a.unit_id
                    JOIN staff_members s ON s.id = a.staff_member_id
                    LEFT JOIN dependents d ON d.id = a.dependent_id
                    WHERE a.circular_id = $1 AND a.revision_number = $2 AND starts_with(u.path, $3)
                    ORDER BY u.code, s.service_number, a.dependent_id IS NOT NULL, d.full_name
                    """, connection)
                {
                    Parameters = { new() { Value = scope.CircularId }, new() { Value = scope.AskedRevision }, new() { Value = scope.Path } },
                };
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
                    string? Number(int i) => reader.IsDBNull(i) ? null : reader.GetInt32(i).ToString(CultureInfo.InvariantCulture);
                    yield return
                    [
                        reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                        reader.GetBoolean(4) ? "Family" : "Staff", Text(5), Text(6), Number(7),
                        reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTime>(8).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                        Number(9), Text(10),
                    ];
                }
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }
}
