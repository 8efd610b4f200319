using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;

namespace Portal.Web.Features.Home;

/// <summary>
/// An administrator's start: requests to join a vendor organisation still waiting, escalated ones (unanswered for 3
/// days by the organisation's administrator) first. The administrator can place the person on the user's page.
/// </summary>
public static class MembershipRequests
{
    public sealed record Query : IRequest<Result>;

    public sealed record Row(Guid UserId, string Name, string Organisation, DateTimeOffset RequestedAt, bool Escalated);

    public sealed record Result(int Pending, IReadOnlyList<Row> Rows);

    /// <summary>Requests still waiting for an answer: pending and not expired.</summary>
    public static IQueryable<VendorMembershipRequest> Waiting(PortalDbContext db, DateTimeOffset now) =>
        db.Set<VendorMembershipRequest>().AsNoTracking().Where(r => r.State == MembershipRequestState.Pending && r.ExpiresAt > now);

    internal sealed class Handler(PortalDbContext db, TimeProvider clock) : IRequestHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query request, CancellationToken ct)
        {
            var pending = Waiting(db, clock.GetUtcNow());
            var rows = await pending.OrderByDescending(r => r.EscalatedAt != null).ThenBy(r => r.RequestedAt).Take(20)
                .Select(r => new Row(r.UserId, db.Users.Where(u => u.Id == r.UserId).Select(u => u.DisplayName).First(),
                    db.VendorOrganisations.Where(v => v.Id == r.VendorOrganisationId).Select(v => v.Name).First(), r.RequestedAt, r.EscalatedAt != null))
                .ToListAsync(ct);
            return new Result(await pending.CountAsync(ct), rows);
        }
    }
}

public sealed class MembershipRequestsViewComponent(IMediator mediator) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync() =>
        View("~/Features/Home/MembershipRequests.cshtml", await mediator.Send(new MembershipRequests.Query()));
}
