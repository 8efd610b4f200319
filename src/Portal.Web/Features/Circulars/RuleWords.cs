using Microsoft.Extensions.Localization;
using Portal.Web.Domain;

namespace Portal.Web.Features.Circulars;

/// <summary>
/// A rule in words: the one place that says what a rule covers, for the rules page, the history, the circular's,
/// revision and diff pages and the CSAF document. <see cref="Model"/> is the named model's marketing name, null when
/// the rule names none; <see cref="CoveredModels"/> the catalogue's models a pattern, TAC prefixes or a whole
/// manufacturer covered when the revision was published (empty for a working copy and for a named model).
/// </summary>
public sealed record RuleWords(RuleAction Action, string Manufacturer, string? Model, string? ModelPattern, string[] TacPrefixes,
    string? FirmwareBelow, string? Note, IReadOnlyList<string> CoveredModels)
{
    /// <summary>A published rule, with the names it was published under.</summary>
    public static RuleWords Of(RuleSnapshot rule) => new(rule.Action, rule.ManufacturerName,
        rule.DeviceModelId is { } id ? rule.Models.FirstOrDefault(m => m.Id == id)?.MarketingName ?? "?" : null,
        rule.ModelPattern, rule.TacPrefixes, rule.FirmwareBelow, rule.Note,
        rule.DeviceModelId is null ? rule.Models.Select(m => m.MarketingName).ToList() : []);

    /// <summary>"Redmi 1S", "models matching “Redmi Note*”", "models with these TACs" or "every model".</summary>
    public string Models => Model
        ?? (ModelPattern is { } pattern ? $"models matching “{pattern}”" : TacPrefixes.Length > 0 ? "models with these TACs" : "every model");

    /// <summary>"below V5.8.22" or "all versions".</summary>
    public string Firmware => FirmwareBelow is { } below ? $"below {below}" : "all versions";

    /// <summary><see cref="Models"/> in the reader's language, for pages (the English one feeds CSAF and the diff).</summary>
    public string ModelsIn(IStringLocalizer text) => Model
        ?? (ModelPattern is { } pattern ? text["models matching “{0}”", pattern] : TacPrefixes.Length > 0 ? text["models with these TACs"] : text["every model"]);

    /// <summary><see cref="Firmware"/> in the reader's language.</summary>
    public string FirmwareIn(IStringLocalizer text) => FirmwareBelow is { } below ? text["below {0}", below] : text["all versions"];

    /// <summary>What the rule does to which devices: "Restricted: Xiaomi models matching “Redmi Note*”, TACs 865175, firmware below V5.8.22".</summary>
    public string Describe() =>
        $"{Action}: {Manufacturer} {Models}"
        + (Model is not null || ModelPattern is not null) switch
        {
            true when TacPrefixes.Length > 0 => $", TACs {string.Join(", ", TacPrefixes)}",
            false when TacPrefixes.Length > 0 => $" ({string.Join(", ", TacPrefixes)})",
            _ => "",
        }
        + (FirmwareBelow is { } below ? $", firmware below {below}" : "");

    /// <summary>
    /// <see cref="Describe"/> with the catalogue's models it covered and the officer's note: everything a reader
    /// of a published revision is told about the rule, so two rules with the same line are the same rule.
    /// </summary>
    public string DescribeInFull() =>
        Describe()
        + (CoveredModels.Count > 0 ? $" (in the catalogue: {string.Join(", ", CoveredModels)})" : "")
        + (Note is { Length: > 0 } note ? $". {note}" : "");
}
