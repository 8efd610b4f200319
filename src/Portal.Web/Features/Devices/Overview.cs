using System.Runtime.CompilerServices;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Infrastructure.Auth;
using Portal.Web.Infrastructure.Web;
using Mediator;

namespace Portal.Web.Features.Devices;

public enum DeviceStatus { Flagged, Exempted, Allowed }

/// <summary>
/// Device compliance across units. Security officers and auditors see the whole organisation with full IMEIs
/// (officers) ; a unit commander sees their own subtree, with IMEIs masked to the last four digits. The subtree
/// comes from the viewer's account, never from the request: the unit filter only narrows it.
/// </summary>
public static class Overview
{
    public const int PageSize = 50;
    public const string Viewers = Roles.SecurityOfficer + "," + Roles.Auditor + "," + Roles.UnitCommander;

    public sealed record Filter
    {
        public string? Unit { get; init; }
        public DeviceStatus? Status { get; init; }
        public bool? Family { get; init; }
        public string? Manufacturer { get; init; }
        public int Page { get; init; } = 1;
    }

    public sealed record Query(Filter Filter) : IRequest<Result>;

    public sealed record UnitRow(string Code, string Name, int Devices, int Flagged, int Exempted, int FamilyFlagged);

    public sealed record Row(Guid Id, string Owner, string ServiceNumber, bool Family, string UnitCode, string Manufacturer, string Model,
        string Imei, string? OsVersion, DeviceSource Source, DeviceStatus Status, IReadOnlyList<FindingLine> Findings);

    public sealed record Result(Filter Filter, string ScopeName, bool FullImei, bool CanRequestExemptions, bool CanDecideExemptions,
        IReadOnlyList<UnitRow> Units, IReadOnlyList<Row> Rows, int Total, bool HasMore);

    internal sealed record Scope(string Path, string Name, bool FullImei);

    internal static async Task<Scope> ScopeAsync(PortalDbContext db, ICurrentUser user, CancellationToken ct)
    {
        if (user.IsInRole(Roles.SecurityOfficer) || user.IsInRole(Roles.Auditor))
            return new Scope("/", "Whole organisation", user.IsInRole(Roles.SecurityOfficer));
        var userId = user.Id;
        var unit = await db.Users.AsNoTracking().Where(u => u.Id == userId && u.Unit != null).Select(u => new { u.Unit!.Path, u.Unit.Name }).FirstOrDefaultAsync(ct)
            ?? throw new NotFoundException("Your unit");
        return new Scope(unit.Path, unit.Name, false);
    }

    /// <summary>Active devices in the viewer's scope, narrowed by the filter.</summary>
    internal static async Task<IQueryable<Device>> DevicesAsync(PortalDbContext db, Scope scope, Filter filter, CancellationToken ct)
    {
        var path = scope.Path;
        if (!string.IsNullOrWhiteSpace(filter.Unit))
        {
            var code = filter.Unit.Trim().ToUpperInvariant();
            path = await db.Units.AsNoTracking().Where(u => u.Code == code && u.Path.StartsWith(scope.Path)).Select(u => u.Path).FirstOrDefaultAsync(ct)
                ?? throw new NotFoundException("The unit");
        }
        var devices = db.Devices.AsNoTracking().Where(d => d.RemovedAt == null
            && db.StaffMembers.Any(s => s.Id == d.StaffMemberId && s.Unit!.Path.StartsWith(path)));
        if (filter.Family is { } family)
            devices = devices.Where(d => (d.DependentId != null) == family);
        if (!string.IsNullOrWhiteSpace(filter.Manufacturer))
        {
            var maker = filter.Manufacturer.Trim();
            devices = devices.Where(d => EF.Functions.ILike(d.ManufacturerName, "%" + EscapeLike(maker) + "%", "\\"));
        }
        var flagged = db.ComplianceFindings.Where(f => f.State == FindingState.Flagged);
        var exempted = db.ComplianceFindings.Where(f => f.State == FindingState.Exempted);
        return filter.Status switch
        {
            DeviceStatus.Flagged => devices.Where(d => flagged.Any(f => f.DeviceId == d.Id)),
            DeviceStatus.Exempted => devices.Where(d => !flagged.Any(f => f.DeviceId == d.Id) && exempted.Any(f => f.DeviceId == d.Id)),
            DeviceStatus.Allowed => devices.Where(d => !db.ComplianceFindings.Any(f => f.DeviceId == d.Id && f.State != FindingState.Remediated)),
            _ => devices,
        };
    }

    private static string EscapeLike(string text) => text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");

    internal static IQueryable<RowData> Project(PortalDbContext db, IQueryable<Device> devices) =>
        from d in devices
        join s in db.StaffMembers on d.StaffMemberId equals s.Id
        orderby s.Unit!.Code, s.FullName, d.Id
        select new RowData(d.Id, d.DependentId != null ? db.Dependents.Where(x => x.Id == d.DependentId).Select(x => x.FullName).First() : s.FullName,
            s.ServiceNumber, d.DependentId != null, s.Unit!.Code, d.ManufacturerName, d.Model, d.Imei, d.OsVersion, d.Source,
            db.ComplianceFindings.Any(f => f.DeviceId == d.Id && f.State == FindingState.Flagged) ? DeviceStatus.Flagged
            : db.ComplianceFindings.Any(f => f.DeviceId == d.Id && f.State == FindingState.Exempted) ? DeviceStatus.Exempted : DeviceStatus.Allowed);

    internal sealed record RowData(Guid Id, string Owner, string ServiceNumber, bool Family, string UnitCode, string Manufacturer, string Model,
        string Imei, string? OsVersion, DeviceSource Source, DeviceStatus Status);

    internal sealed class Handler(ICurrentUser user, PortalDbContext db) : IRequestHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query request, CancellationToken ct)
        {
            var scope = await ScopeAsync(db, user, ct);
            var filter = request.Filter with { Page = Math.Clamp(request.Filter.Page, 1, 100_000) };
            var devices = await DevicesAsync(db, scope, filter, ct);
            var total = await devices.CountAsync(ct);
            var page = await Project(db, devices).Skip((filter.Page - 1) * PageSize).Take(PageSize + 1).ToListAsync(ct);
            var ids = page.Select(r => r.Id).ToArray();
            var findings = await Findings.OpenAsync(db, db.Devices.Where(d => ids.Contains(d.Id)).Select(d => d.Id), ct);
            var rows = page.Take(PageSize).Select(r => new Row(r.Id, r.Owner, r.ServiceNumber, r.Family, r.UnitCode, r.Manufacturer, r.Model,
                scope.FullImei ? r.Imei : Imeis.Mask(r.Imei), r.OsVersion, r.Source, r.Status, findings[r.Id].ToList())).ToList();
            return new Result(filter, scope.Name, scope.FullImei, user.IsInRole(Roles.UnitCommander), user.IsInRole(Roles.SecurityOfficer),
                await UnitsAsync(scope, ct), rows, total, page.Count > PageSize);
        }

        /// <summary>Per unit one level below the scope's root (the root itself when it has none): devices and their status, in one query.</summary>
        private async Task<IReadOnlyList<UnitRow>> UnitsAsync(Scope scope, CancellationToken ct)
        {
            var rootDepth = scope.Path == "/" ? 0 : scope.Path.Count(c => c == '/') - 2;
            var candidates = await db.Units.AsNoTracking()
                .Where(u => u.Path.StartsWith(scope.Path) && (u.Depth == rootDepth || u.Depth == rootDepth + 1))
                .OrderBy(u => u.Code).Select(u => new { u.Id, u.Code, u.Name, u.Depth }).ToListAsync(ct);
            var level = candidates.Any(u => u.Depth == rootDepth + 1) ? candidates.Where(u => u.Depth == rootDepth + 1).ToList() : candidates;
            var ids = level.Select(u => u.Id).ToArray();
            var counts = (await db.Database.SqlQuery<UnitCounts>($"""
                SELECT u.id AS "id", count(d.id)::int AS "devices",
                       count(d.id) FILTER (WHERE st.flagged)::int AS "flagged",
                       count(d.id) FILTER (WHERE NOT coalesce(st.flagged, false) AND st.exempted)::int AS "exempted",
                       count(d.id) FILTER (WHERE st.flagged AND d.dependent_id IS NOT NULL)::int AS "family_flagged"
                FROM units u
                JOIN units su ON starts_with(su.path, u.path)
                JOIN staff_members s ON s.unit_id = su.id
                JOIN devices d ON d.staff_member_id = s.id AND d.removed_at IS NULL
                LEFT JOIN LATERAL (
                    SELECT bool_or(f.state = 'Flagged') AS "flagged", bool_or(f.state = 'Exempted') AS "exempted"
                    FROM compliance_findings f WHERE f.device_id = d.id AND f.state <> 'Remediated'
                ) st ON true
                WHERE u.id = ANY ({ids})
                GROUP BY u.id
                """).ToListAsync(ct)).ToDictionary(c => c.Id);
            return level.Select(u => counts.TryGetValue(u.Id, out var c)
                ? new UnitRow(u.Code, u.Name, c.Devices, c.Flagged, c.Exempted, c.FamilyFlagged)
                : new UnitRow(u.Code, u.Name, 0, 0, 0, 0)).ToList();
        }

        private sealed class UnitCounts
        {
            public Guid Id { get; set; }
            public int Devices { get; set; }
            public int Flagged { get; set; }
            public int Exempted { get; set; }
            public int FamilyFlagged { get; set; }
        }
    }
}

/// <summary>The overview's devices as CSV, streamed; masked IMEIs for commanders, cells safe for spreadsheets.</summary>
public static class OverviewExport
{
    public static readonly string[] Header = ["Unit", "Owner", "Service number", "Family", "Manufacturer", "Model", "IMEI", "Software", "Source", "Status"];

    public sealed record Query(Overview.Filter Filter) : IRequest<IAsyncEnumerable<string?[]>>;

    internal sealed class Handler(ICurrentUser user, PortalDbContext db) : IRequestHandler<Query, IAsyncEnumerable<string?[]>>
    {
        public async ValueTask<IAsyncEnumerable<string?[]>> Handle(Query request, CancellationToken ct)
        {
            var scope = await Overview.ScopeAsync(db, user, ct);
            var devices = await Overview.DevicesAsync(db, scope, request.Filter, ct);
            return Rows(Overview.Project(db, devices).AsAsyncEnumerable(), scope.FullImei, ct);
        }

        private static async IAsyncEnumerable<string?[]> Rows(IAsyncEnumerable<Overview.RowData> rows, bool fullImei, [EnumeratorCancellation] CancellationToken ct)
        {
            await foreach (var r in rows.WithCancellation(ct))
                yield return [r.UnitCode, r.Owner, r.ServiceNumber, r.Family ? "yes" : "no", r.Manufacturer, r.Model,
                    fullImei ? r.Imei : Imeis.Mask(r.Imei), r.OsVersion, r.Source.ToString(), r.Status.ToString()];
        }
    }
}
