using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Web;

namespace Portal.Web.Features.Circulars;

/// <summary>The units a circular's working copy addresses; each brings its whole subtree.</summary>
public static class Audience
{
    public sealed record Query(Guid Id) : IRequest<Result>;

    public sealed record Result(WorkingCopyHeading Heading, bool IncludeFamilies, IReadOnlyList<Row> Units);

    public sealed record Row(Guid Id, string Name, string Code, int UnitsBelow, int Staff);

    internal sealed class Handler(PortalDbContext db) : IRequestHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query request, CancellationToken ct)
        {
            var circular = await db.Circulars.AsNoTracking().Include(c => c.Audience).FirstOrDefaultAsync(c => c.Id == request.Id, ct)
                ?? throw new NotFoundException("The circular");
            var unitIds = circular.Audience.Select(a => a.UnitId).ToArray();
            var units = await db.Units.AsNoTracking().Where(u => unitIds.Contains(u.Id)).OrderBy(u => u.Path)
                .Select(u => new Row(u.Id, u.Name, u.Code,
                    db.Units.Count(below => below.Path.StartsWith(u.Path) && below.Id != u.Id),
                    db.StaffMembers.Count(s => db.Units.Any(below => below.Id == s.UnitId && below.Path.StartsWith(u.Path)))))
                .ToListAsync(ct);
            return new Result(circular.Heading("Audience"), circular.Text.IncludeFamilies, units);
        }
    }
}

/// <summary>The audience page: list, remove buttons and the add form, loaded here so a refused form is shown with them.</summary>
public sealed class AudienceEditorViewComponent(IMediator mediator) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(CircularTransition posted) =>
        View("~/Features/Circulars/AudienceEditor.cshtml", new AudienceEditor(
            await mediator.Send(new Audience.Query(posted.Id)),
            posted as AddAudienceUnit.Command ?? new AddAudienceUnit.Command { Id = posted.Id, Version = posted.Version }));
}

public sealed record AudienceEditor(Audience.Result Page, AddAudienceUnit.Command Form);
