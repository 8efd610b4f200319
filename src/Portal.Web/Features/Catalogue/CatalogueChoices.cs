using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Features.Admin;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;

namespace Portal.Web.Features.ProductCatalogue;

/// <summary>Manufacturers and their models as choices for forms (here and in circulars' rules).</summary>
public static class CatalogueChoices
{
    public sealed record Query : IRequest<Result>;

    public sealed record Result(IReadOnlyList<ManufacturerChoice> Manufacturers);

    public sealed record ManufacturerChoice(Guid Id, string Name, IReadOnlyList<ModelChoice> Models);

    public sealed record ModelChoice(Guid Id, string MarketingName);

    internal sealed class Handler(PortalDbContext db) : IRequestHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query request, CancellationToken ct)
        {
            var manufacturers = await db.Manufacturers.AsNoTracking().OrderBy(m => m.Name).Select(m => new { m.Id, m.Name }).ToListAsync(ct);
            var models = (await db.DeviceModels.AsNoTracking().OrderBy(m => m.MarketingName)
                    .Select(m => new { m.Id, m.ManufacturerId, m.MarketingName }).ToListAsync(ct))
                .ToLookup(m => m.ManufacturerId, m => new ModelChoice(m.Id, m.MarketingName));
            return new Result(manufacturers.Select(m => new ManufacturerChoice(m.Id, m.Name, models[m.Id].ToList())).ToList());
        }
    }
}

public sealed record Picker(string Name, Guid? Selected, string EmptyText, CatalogueChoices.Result Choices, string? DescribedBy = null, bool Disabled = false);

/// <summary>A select of manufacturers; forms include it and it loads its own options, so re-rendered forms keep it.</summary>
public sealed class ManufacturerPickerViewComponent(IMediator mediator) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(string name, Guid? selected, string emptyText, string? describedBy = null, bool disabled = false) =>
        View("~/Features/Catalogue/ManufacturerPicker.cshtml", new Picker(name, selected, emptyText, await mediator.Send(new CatalogueChoices.Query()), describedBy, disabled));
}

/// <summary>A select of every model, grouped by manufacturer ("Xiaomi — Redmi 1S"), so no script is needed to narrow it.</summary>
public sealed class ModelPickerViewComponent(IMediator mediator) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(string name, Guid? selected, string emptyText, string? describedBy = null) =>
        View("~/Features/Catalogue/ModelPicker.cshtml", new Picker(name, selected, emptyText, await mediator.Send(new CatalogueChoices.Query()), describedBy));
}

/// <summary>The vendor organisation that answers for a manufacturer's products.</summary>
public sealed class ManufacturerVendorPickerViewComponent(IMediator mediator) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(Guid? selected) =>
        View("~/Features/Catalogue/ManufacturerVendorPicker.cshtml", (selected, await mediator.Send(new VendorList.Query())));
}
