using Microsoft.AspNetCore.Mvc;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;

namespace Portal.Web.Features.Admin;

/// <summary>A unit picker (tree-indented) that forms include; it loads its own options so re-rendered forms keep it.</summary>
public sealed class UnitPickerViewComponent(IMediator mediator) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(string name, Guid? selected, string emptyText) =>
        View("~/Features/Admin/UnitPicker.cshtml", new UnitPicker(name, selected, emptyText, await mediator.Send(new UnitTree.Query())));
}

public sealed record UnitPicker(string Name, Guid? Selected, string EmptyText, IReadOnlyList<UnitTree.Node> Units);

public sealed class VendorPickerViewComponent(IMediator mediator) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(Guid? selected) =>
        View("~/Features/Admin/VendorPicker.cshtml", (selected, await mediator.Send(new VendorList.Query())));
}
