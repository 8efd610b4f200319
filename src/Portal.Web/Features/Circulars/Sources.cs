using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Web;

namespace Portal.Web.Features.Circulars;

/// <summary>The outside sources a circular's working copy rests on: CERT advisories, lab reports, statements, news.</summary>
public static class Sources
{
    public sealed record Query(Guid Id) : IRequest<Result>;

    public sealed record Result(WorkingCopyHeading Heading, IReadOnlyList<Row> Sources);

    public sealed record Row(Guid Id, SourceKind Kind, string Identifier, string? Title, string? Url);

    internal sealed class Handler(PortalDbContext db) : IRequestHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query request, CancellationToken ct)
        {
            var circular = await db.Circulars.AsNoTracking().Include(c => c.Sources).FirstOrDefaultAsync(c => c.Id == request.Id, ct)
                ?? throw new NotFoundException("The circular");
            return new Result(circular.Heading("Sources"),
                circular.Sources.OrderBy(s => s.Id).Select(s => new Row(s.Id, s.Kind, s.Identifier, s.Title, s.Url)).ToList());
        }
    }
}

/// <summary>The sources page: list, remove buttons and the add form, loaded here so a refused form is shown with them.</summary>
public sealed class SourceEditorViewComponent(IMediator mediator) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(CircularTransition posted) =>
        View("~/Features/Circulars/SourceEditor.cshtml", new SourceEditor(
            await mediator.Send(new Sources.Query(posted.Id)),
            posted as AddSource.Command ?? new AddSource.Command { Id = posted.Id, Version = posted.Version }));
}

public sealed record SourceEditor(Sources.Result Page, AddSource.Command Form);
