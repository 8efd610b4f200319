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

    internal sealed class Handler(PortalDbContext db, Microsoft.Extensions.Localization.IStringLocalizer<Infrastructure.Localization.Text> text) : IRequestHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query request, CancellationToken ct)
        {
            var circular = await db.Circulars.AsNoTracking().Include(c => c.Rules).FirstOrDefaultAsync(c => c.Id == request.Id, ct)
                ?? throw new NotFoundException("The circular");
            var names = await RuleNames.ForAsync(db, circular.Rules, ct);
            return new Result(circular.Heading("Rules"), circular.Rules.OrderBy(r => r.Position).Select(ToRow).ToList());

            Row ToRow(CircularRule rule)
            {
                var words = names.Words(rule);
                return new Row(rule.Id, rule.Position, rule.Action, words.Manufacturer, words.ModelsIn(text), rule.TacPrefixes, rule.FirmwareBelow, rule.Note);
            }
        }
    }
}

/// <summary>The catalogue's names for a working copy's rules, to put them in words (<see cref="RuleWords"/>).</summary>
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

    /// <summary>A working copy's rule, with the catalogue's names of the moment.</summary>
    public RuleWords Words(CircularRule rule) => new(rule.Action, Manufacturers.GetValueOrDefault(rule.ManufacturerId, "?"),
        rule.DeviceModelId is { } id ? DeviceModels.GetValueOrDefault(id, "?") : null,
        rule.ModelPattern, rule.TacPrefixes, rule.FirmwareBelow, rule.Note, []);

    public string Describe(CircularRule rule) => Words(rule).Describe();
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
