using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Infrastructure.Auth;

namespace Portal.Web.Features.Home;

/// <summary>A staff member's start: their own and their family's phones that a published circular bans or restricts now.</summary>
public static class MyFlaggedDevices
{
    public const int Shown = 5;

    public sealed record Query : IRequest<Result>;

    public sealed record Line(string Phone, string? FamilyMember, string Reference, RuleAction Action);

    public sealed record Result(int Devices, IReadOnlyList<Line> Lines);

    internal sealed class Handler(ICurrentUser user, PortalDbContext db) : IRequestHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query request, CancellationToken ct)
        {
            var flagged =
                from f in db.ComplianceFindings
                where f.State == FindingState.Flagged && f.Action != RuleAction.Monitor
                join d in db.Devices on f.DeviceId equals d.Id
                where d.RemovedAt == null && db.StaffMembers.Any(s => s.Id == d.StaffMemberId && s.UserId == user.Id)
                select new { f, d };
            var count = await flagged.Select(x => x.d.Id).Distinct().CountAsync(ct);
            if (count == 0)
                return new Result(0, []);
            var lines = await flagged.OrderBy(x => x.d.DependentId != null).ThenBy(x => x.d.RegisteredAt).ThenBy(x => x.f.Id).Take(Shown)
                .Select(x => new Line(x.d.ManufacturerName + " " + x.d.Model,
                    db.Dependents.Where(p => p.Id == x.d.DependentId).Select(p => p.FullName).FirstOrDefault(),
                    db.Circulars.Where(c => c.Id == x.f.CircularId).Select(c => c.ReferenceNumber).First() ?? "", x.f.Action))
                .ToListAsync(ct);
            return new Result(count, lines);
        }
    }
}

/// <summary>A unit commander's start: how many devices in their units (the whole subtree) are flagged now, and how many are families'.</summary>
public static class UnitFlaggedDevices
{
    public sealed record Query : IRequest<Result>;

    public sealed record Result(bool HasUnit, int Flagged, int Family);

    internal sealed class Handler(ICurrentUser user, PortalDbContext db) : IRequestHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query request, CancellationToken ct)
        {
            var path = await db.Users.AsNoTracking().Where(u => u.Id == user.Id && u.Unit != null).Select(u => u.Unit!.Path).FirstOrDefaultAsync(ct);
            if (path is null)
                return new Result(false, 0, 0);
            var devices = db.Devices.Where(d => d.RemovedAt == null
                && db.ComplianceFindings.Any(f => f.DeviceId == d.Id && f.State == FindingState.Flagged)
                && db.StaffMembers.Any(s => s.Id == d.StaffMemberId && s.Unit!.Path.StartsWith(path)));
            return new Result(true, await devices.CountAsync(ct), await devices.CountAsync(d => d.DependentId != null, ct));
        }
    }
}

public sealed class MyFlaggedDevicesViewComponent(IMediator mediator) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync() =>
        View("~/Features/Home/MyFlaggedDevices.cshtml", await mediator.Send(new MyFlaggedDevices.Query()));
}

public sealed class UnitFlaggedDevicesViewComponent(IMediator mediator) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync() =>
        View("~/Features/Home/UnitFlaggedDevices.cshtml", await mediator.Send(new UnitFlaggedDevices.Query()));
}
