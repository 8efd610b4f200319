using Portal.Web.Infrastructure.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Portal.Web.Domain;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;

namespace Portal.Web.Features.ProductCatalogue;

/// <summary>
/// The product catalogue: manufacturers, their models and firmware, which circulars' rules name. The folder is
/// Catalogue (views are found by controller name); the namespace is ProductCatalogue so that it does not hide
/// <see cref="Domain.Catalogue"/>'s helpers from code elsewhere under Features.
/// </summary>
[Authorize(Roles = Roles.CatalogueReaders)]
[Route("catalogue")]
public sealed class CatalogueController(IMediator mediator) : Controller
{
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken ct) => View(await mediator.Send(new Index.Query(), ct));

    [Authorize(Roles = Roles.CatalogueEditors)]
    [HttpGet("manufacturers/new")]
    public IActionResult NewManufacturer() => View(new CreateManufacturer.Command());

    [Authorize(Roles = Roles.CatalogueEditors)]
    [HttpPost("manufacturers/new")]
    public async Task<IActionResult> NewManufacturer(CreateManufacturer.Command command, CancellationToken ct)
    {
        await mediator.Send(command, ct);
        this.Notice("Manufacturer {0} added.", command.Name?.Trim());
        return RedirectToAction(nameof(Index));
    }

    [Authorize(Roles = Roles.CatalogueEditors)]
    [HttpGet("manufacturers/{id:guid}")]
    public async Task<IActionResult> EditManufacturer(Guid id, CancellationToken ct) =>
        View(await mediator.Send(new EditManufacturer.Query(id), ct));

    [Authorize(Roles = Roles.CatalogueEditors)]
    [HttpPost("manufacturers/{id:guid}")]
    public async Task<IActionResult> EditManufacturer(Guid id, EditManufacturer.Command command, CancellationToken ct)
    {
        command.Id = id;
        await mediator.Send(command, ct);
        this.Notice("Manufacturer {0} updated.", command.Name?.Trim());
        return RedirectToAction(nameof(Index));
    }

    [Authorize(Roles = Roles.CatalogueEditors)]
    [HttpGet("models/new")]
    public IActionResult NewModel(Guid? manufacturerId) => View(new CreateModel.Command { ManufacturerId = manufacturerId });

    [Authorize(Roles = Roles.CatalogueEditors)]
    [HttpPost("models/new")]
    public async Task<IActionResult> NewModel(CreateModel.Command command, CancellationToken ct)
    {
        await mediator.Send(command, ct);
        this.Notice("Model {0} added.", command.MarketingName?.Trim());
        return RedirectToAction(nameof(Index));
    }

    [Authorize(Roles = Roles.CatalogueEditors)]
    [HttpGet("models/{id:guid}")]
    public async Task<IActionResult> EditModel(Guid id, CancellationToken ct) =>
        View(await mediator.Send(new EditModel.Query(id), ct));

    [Authorize(Roles = Roles.CatalogueEditors)]
    [HttpPost("models/{id:guid}")]
    public async Task<IActionResult> EditModel(Guid id, EditModel.Command command, CancellationToken ct)
    {
        command.Id = id;
        await mediator.Send(command, ct);
        this.Notice("Model {0} updated.", command.MarketingName?.Trim());
        return RedirectToAction(nameof(Index));
    }

    [HttpGet("models/{id:guid}/firmware")]
    public async Task<IActionResult> Firmware(Guid id, CancellationToken ct) =>
        View(await mediator.Send(new AddFirmware.Query(id), ct));

    [Authorize(Roles = Roles.CatalogueEditors)]
    [HttpPost("models/{id:guid}/firmware")]
    public async Task<IActionResult> Firmware(Guid id, AddFirmware.Command command, CancellationToken ct)
    {
        command.DeviceModelId = id;
        await mediator.Send(command, ct);
        this.Notice("Firmware version {0} added.", command.Version?.Trim());
        return RedirectToAction(nameof(Firmware), new { id });
    }
}
