using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Web;

namespace Portal.Web.Features.ProductCatalogue;

/// <summary>A model and its known firmware versions, oldest first.</summary>
public static class FirmwareVersions
{
    public sealed record Query(Guid DeviceModelId) : IRequest<Result>;

    public sealed record Result(Guid DeviceModelId, string Manufacturer, string Model, IReadOnlyList<Index.FirmwareRow> Versions);

    internal sealed class Handler(PortalDbContext db) : IRequestHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query request, CancellationToken ct)
        {
            var model = await db.DeviceModels.AsNoTracking().Where(m => m.Id == request.DeviceModelId)
                .Select(m => new { m.MarketingName, Manufacturer = db.Manufacturers.Where(x => x.Id == m.ManufacturerId).Select(x => x.Name).First() })
                .FirstOrDefaultAsync(ct)
                ?? throw new NotFoundException("The model");
            var versions = await db.FirmwareVersions.AsNoTracking().Where(f => f.DeviceModelId == request.DeviceModelId)
                .Select(f => new Index.FirmwareRow(f.Version, f.ReleasedOn, f.Notes)).ToListAsync(ct);
            versions.Sort((a, b) => Catalogue.CompareVersions(a.Version, b.Version));
            return new Result(request.DeviceModelId, model.Manufacturer, model.MarketingName, versions);
        }
    }
}

/// <summary>Shown above the add-firmware form; it loads its own data so a refused form is shown with it again.</summary>
public sealed class FirmwareVersionsViewComponent(IMediator mediator) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(Guid deviceModelId) =>
        View("~/Features/Catalogue/FirmwareVersions.cshtml", await mediator.Send(new FirmwareVersions.Query(deviceModelId)));
}
