using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Features.Circulars;
using Mediator;
using Portal.Web.Infrastructure.Web;

namespace Portal.Web.Features.Devices;

/// <summary>
/// What a circular's working-copy rules would flag if published now: how many registered devices, in which units,
/// how many belong to families. The rules are written as terms into temporary tables and counted with the same
/// <see cref="Compliance.MatchesSql"/> the scan uses, in a transaction that is rolled back: nothing reaches the
/// findings, the published terms or anyone's inbox (docs/decisions/0051-device-impact-preview-and-family-check.md).
/// </summary>
public static class Impact
{
    public const int TopUnits = 10;

    public sealed record Query(Guid CircularId) : IRequest<Result>;

    public sealed record UnitCount(string Code, string Name, int Devices, int Family);

    public sealed record Result(Guid CircularId, string Title, int Rules, int Devices, int Family, int Banned, int Restricted, int Monitored,
        int FlaggedNow, int Units, IReadOnlyList<UnitCount> Top);

    internal sealed class Handler(PortalDbContext db, Compliance compliance) : IRequestHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query request, CancellationToken ct)
        {
            var circular = await db.Circulars.AsNoTracking().Include(c => c.Rules).FirstOrDefaultAsync(c => c.Id == request.CircularId, ct)
                ?? throw new NotFoundException("The circular");
            var flaggedNow = await db.ComplianceFindings.CountAsync(f => f.CircularId == circular.Id && f.State != FindingState.Remediated, ct);
            if (circular.Rules.Count == 0)
                return new Result(circular.Id, circular.Text.Title, 0, 0, 0, 0, 0, 0, flaggedNow, 0, []);
            var rules = await Publication.SnapshotRulesAsync(db, circular.Rules, ct);

            await using var tx = await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
            await db.Database.ExecuteSqlRawAsync("""
                CREATE TEMPORARY TABLE impact_terms (LIKE device_rule_terms) ON COMMIT DROP;
                CREATE TEMPORARY TABLE impact_tacs (LIKE device_rule_tacs) ON COMMIT DROP;
                """, ct);
            await compliance.InsertTermsAsync(circular.Id, 0, rules, "impact_terms", "impact_tacs", ct);
            await using var command = new NpgsqlCommand($"""
                CREATE TEMPORARY TABLE impact_matches ON COMMIT DROP AS
                SELECT m.device_id, m.action, d.dependent_id IS NOT NULL AS family, s.unit_id
                FROM ({Compliance.MatchesSql("impact_terms", "impact_tacs")}) m
                JOIN devices d ON d.id = m.device_id
                JOIN staff_members s ON s.id = d.staff_member_id;
                SELECT count(*)::int, count(*) FILTER (WHERE family)::int,
                       count(*) FILTER (WHERE action = 'Banned')::int, count(*) FILTER (WHERE action = 'Restricted')::int,
                       count(*) FILTER (WHERE action = 'Monitor')::int, count(DISTINCT unit_id)::int
                FROM impact_matches;
                SELECT u.code, u.name, count(*)::int AS devices, count(*) FILTER (WHERE m.family)::int AS family
                FROM impact_matches m JOIN units u ON u.id = m.unit_id
                GROUP BY u.id, u.code, u.name
                ORDER BY count(*) DESC, u.code
                LIMIT {TopUnits};
                """, (NpgsqlConnection)db.Database.GetDbConnection(), (NpgsqlTransaction)tx.GetDbTransaction());
            await using var reader = await command.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            var (devices, family, banned, restricted, monitored, units) =
                (reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetInt32(4), reader.GetInt32(5));
            await reader.NextResultAsync(ct);
            var top = new List<UnitCount>();
            while (await reader.ReadAsync(ct))
                top.Add(new UnitCount(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt32(3)));
            await reader.DisposeAsync();
            await tx.RollbackAsync(ct);
            return new Result(circular.Id, circular.Text.Title, circular.Rules.Count, devices, family, banned, restricted, monitored, flaggedNow, units, top);
        }
    }
}

/// <summary>The preview on the officer's rules page, under the list of rules.</summary>
public sealed class ImpactPreviewViewComponent(IMediator mediator) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(Guid circularId) =>
        View("~/Features/Devices/_Impact.cshtml", await mediator.Send(new Impact.Query(circularId)));
}

/// <summary>The same preview on its own page, for the approver who reviews the draft (the rules page is the officer's).</summary>
[Authorize(Roles = Roles.DraftReaders)]
public sealed class ImpactController(IMediator mediator) : Controller
{
    [HttpGet("circulars/{id:guid}/impact")]
    public async Task<IActionResult> Impact(Guid id, CancellationToken ct) =>
        View("~/Features/Devices/Impact.cshtml", await mediator.Send(new Impact.Query(id), ct));
}
