using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Web;

namespace Portal.Web.Features.Circulars;

/// <summary>The rules of a circular's working copy, in order, with the catalogue's names of the moment.</summary>
public static class Rules
{
    public sealed record Query(Guid Id) : IRequest<Result>;

    public sealed record Result(WorkingCopyHeading Heading, IReadOnlyList<Row> Rules);

    public sealed record Row(Guid Id, int Position, RuleAction Action, string Manufacturer, string Models, string[] TacPrefixes,
        string? FirmwareBelow, string? Note);

    internal sealed class Handler(PortalDbContext db) : IRequestHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query request, CancellationToken ct)
        {
            var circular = await db.Circulars.AsNoTracking().Include(c => c.Rules).FirstOrDefaultAsync(c => c.Id == request.Id, ct)
                ?? throw new NotFoundException("The circular");
            var names = await RuleNames.ForAsync(db, circular.Rules, ct);
            return new Result(circular.Heading("Rules"), circular.Rules.OrderBy(r => r.Position)
                .Select(r => new Row(r.Id, r.Position, r.Action, names.Manufacturer(r), names.Models(r), r.TacPrefixes, r.FirmwareBelow, r.Note))
                .ToList());
        }
    }
}

/// <summary>Rules in words, for the rules page and the history ("Banned: Xiaomi Redmi 1S").</summary>
internal sealed record RuleNames(IReadOnlyDictionary<Guid, string> Manufacturers, IReadOnlyDictionary<Guid, string> DeviceModels)
{
    public static async Task<RuleNames> ForAsync(PortalDbContext db, IEnumerable<CircularRule> rules, CancellationToken ct)
    {
        var list = rules.ToList();
        var manufacturerIds = list.Select(r => r.ManufacturerId).Distinct().ToArray();
        var modelIds = list.Where(r => r.DeviceModelId != null).Select(r => r.DeviceModelId!.Value).Distinct().ToArray();
        return new RuleNames(
            await db.Manufacturers.AsNoTracking().Where(m => manufacturerIds.Contains(m.Id)).ToDictionaryAsync(m => m.Id, m => m.Name, ct),
            await db.DeviceModels.AsNoTracking().Where(m => modelIds.Contains(m.Id)).ToDictionaryAsync(m => m.Id, m => m.MarketingName, ct));
    }

    public string Manufacturer(CircularRule rule) => Manufacturers.GetValueOrDefault(rule.ManufacturerId, "?");

    public string Models(CircularRule rule) =>
        rule.DeviceModelId is { } id ? DeviceModels.GetValueOrDefault(id, "?")
        : rule.ModelPattern is { } pattern ? $"models matching “{pattern}”"
        : rule.TacPrefixes.Length > 0 ? "models with these TACs"
        : "every model";

    public string Describe(CircularRule rule) =>
        $"{rule.Action}: {Manufacturer(rule)} {Models(rule)}"
        + (rule.DeviceModelId is not null || rule.ModelPattern is not null) switch
        {
            true when rule.TacPrefixes.Length > 0 => $", TACs {string.Join(", ", rule.TacPrefixes)}",
            false when rule.TacPrefixes.Length > 0 => $" ({string.Join(", ", rule.TacPrefixes)})",
            _ => "",
        }
        + (rule.FirmwareBelow is { } below ? $", firmware below {below}" : "");
}

/// <summary>
/// The rules page: list, remove buttons and the add form. It loads the list itself so that a refused
/// form is shown again beside the current rules, with what was typed.
/// </summary>
public sealed class RuleEditorViewComponent(IMediator mediator) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(CircularTransition posted) =>
        View("~/Features/Circulars/RuleEditor.cshtml", new RuleEditor(
            await mediator.Send(new Rules.Query(posted.Id)),
            posted as AddRule.Command ?? new AddRule.Command { Id = posted.Id, Version = posted.Version }));
}

public sealed record RuleEditor(Rules.Result Page, AddRule.Command Form);
