using System.Text.RegularExpressions;

namespace Portal.Web.Domain;

public enum RuleAction { Banned, Restricted, Monitor }

/// <summary>
/// What a circular bans: a manufacturer's models, named one by one or by a wildcard pattern over
/// marketing names and model numbers, or by TAC prefix, optionally only below a firmware version.
/// A rule with no model, pattern or TAC covers every model of the manufacturer, which must be said
/// on purpose (a checkbox), never reached by a pattern like "*".
/// </summary>
public sealed partial class CircularRule
{
    public const int MinimumPatternLiterals = 3;
    public const int MinimumTacPrefixDigits = 6;

    private CircularRule() { }

    public Guid Id { get; private set; }
    public Guid CircularId { get; private set; }
    public Guid ManufacturerId { get; private set; }
    public Guid? DeviceModelId { get; private set; }
    public string? ModelPattern { get; private set; }
    public string[] TacPrefixes { get; private set; } = [];
    public string? FirmwareBelow { get; private set; }
    public RuleAction Action { get; private set; }
    public string? Note { get; private set; }
    public int Position { get; private set; }

    public bool CoversWholeManufacturer => DeviceModelId is null && ModelPattern is null && TacPrefixes.Length == 0;

    internal static CircularRule Create(Guid circularId, int position, Guid manufacturerId, Guid? deviceModelId,
        string? modelPattern, IEnumerable<string> tacPrefixes, string? firmwareBelow, RuleAction action, string? note)
    {
        var pattern = string.IsNullOrWhiteSpace(modelPattern) ? null : modelPattern.Trim();
        if (pattern is not null && PatternProblem(pattern) is { } problem)
            throw new DomainException(problem);
        var tacs = Catalogue.Distinct(tacPrefixes);
        if (tacs.FirstOrDefault(t => !TacPrefix().IsMatch(t)) is { } badTac)
            throw new DomainException(new Sentence("\"{0}\" is not a TAC prefix: use {1} to 8 digits.", badTac, MinimumTacPrefixDigits));
        return new CircularRule
        {
            Id = Guid.CreateVersion7(),
            CircularId = circularId,
            Position = position,
            ManufacturerId = manufacturerId,
            DeviceModelId = deviceModelId,
            ModelPattern = pattern,
            TacPrefixes = tacs,
            FirmwareBelow = string.IsNullOrWhiteSpace(firmwareBelow) ? null : firmwareBelow.Trim(),
            Action = action,
            Note = string.IsNullOrWhiteSpace(note) ? null : note.Trim(),
        };
    }

    /// <summary>Why a wildcard pattern is refused, or null when it is acceptable.</summary>
    public static Sentence? PatternProblem(string pattern)
    {
        var literals = pattern.Count(ch => ch is not ('*' or '?') && !char.IsWhiteSpace(ch));
        if (literals == 0)
            return new Sentence("The pattern \"{0}\" would match every model. Name the models, or tick \"every model of this manufacturer\" if that is what you mean.", pattern);
        if (literals < MinimumPatternLiterals)
            return new Sentence("The pattern \"{0}\" is too broad: give at least {1} letters or digits besides the wildcards.", pattern, MinimumPatternLiterals);
        if (pattern.Length > 100)
            return "Keep the pattern to 100 characters or fewer.";
        return null;
    }

    /// <summary>
    /// Whether a marketing name or model number matches the pattern ('*' any run, '?' one character, case-insensitive).
    /// A plain wildcard walk, not a regular expression: no backtracking blow-up and no timeout, which under load used to
    /// fire on ordinary patterns and fail the approval that snapshots the rules.
    /// </summary>
    public static bool PatternMatches(string pattern, string value)
    {
        ReadOnlySpan<char> wanted = pattern.Trim(), text = value.Trim();
        int p = 0, t = 0, star = -1, resume = 0;
        while (t < text.Length)
        {
            if (p < wanted.Length && wanted[p] == '*')
            {
                // Let the star take nothing for now; widen it by one character whenever what follows fails.
                star = p++;
                resume = t;
            }
            else if (p < wanted.Length && (wanted[p] == '?' || char.ToUpperInvariant(wanted[p]) == char.ToUpperInvariant(text[t])))
            {
                p++;
                t++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++resume;
            }
            else
            {
                return false;
            }
        }
        while (p < wanted.Length && wanted[p] == '*')
            p++;
        return p == wanted.Length;
    }

    [GeneratedRegex(@"^\d{6,8}$")]
    private static partial Regex TacPrefix();
}
