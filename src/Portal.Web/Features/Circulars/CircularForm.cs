using FluentValidation;
using Portal.Web.Data.Configurations;
using Portal.Web.Domain;
using Severity = Portal.Web.Domain.Severity;

namespace Portal.Web.Features.Circulars;

/// <summary>
/// The fields of <see cref="CircularText"/> as an officer typed them (possibly empty or out of range, which the
/// validator answers in words); <see cref="Draft"/> and <see cref="Edit"/> both post them.
/// </summary>
public abstract record CircularForm
{
    public string? Title { get; init; }
    public Severity? Severity { get; init; }
    public TlpLabel? Tlp { get; init; }
    public DateOnly? AcknowledgementDeadline { get; init; }
    public string? Summary { get; init; }
    public string? Background { get; init; }
    public string? RiskAssessment { get; init; }
    public string? Impact { get; init; }
    public string? RequiredActions { get; init; }
    public string? References { get; init; }
    public bool IncludeFamilies { get; init; }
    public string? FamilySummary { get; init; }
    public string? InternalNotes { get; init; }
    public string? HindiTitle { get; init; }
    public string? HindiFamilySummary { get; init; }
    public string? HindiRequiredActions { get; init; }

    public CircularText ToText() => new(
        Title!, Severity!.Value, Tlp!.Value, Summary!, Background ?? "", RiskAssessment ?? "", Impact ?? "",
        RequiredActions!, References ?? "", AcknowledgementDeadline!.Value, IncludeFamilies, FamilySummary ?? "", InternalNotes ?? "",
        HindiTitle ?? "", HindiFamilySummary ?? "", HindiRequiredActions ?? "");

    public static TForm From<TForm>(CircularText t, TForm blank) where TForm : CircularForm => blank with
    {
        Title = t.Title,
        Severity = t.Severity,
        Tlp = t.Tlp,
        Summary = t.Summary,
        Background = t.Background,
        RiskAssessment = t.RiskAssessment,
        Impact = t.Impact,
        RequiredActions = t.RequiredActions,
        References = t.References,
        AcknowledgementDeadline = t.AcknowledgementDeadline,
        IncludeFamilies = t.IncludeFamilies,
        FamilySummary = t.FamilySummary,
        InternalNotes = t.InternalNotes,
        HindiTitle = t.HindiTitle,
        HindiFamilySummary = t.HindiFamilySummary,
        HindiRequiredActions = t.HindiRequiredActions,
    };
}

/// <summary>What a draft must hold. Publication (a later rule set) demands more; a draft may be incomplete in its optional sections.</summary>
public sealed class CircularFormValidator : AbstractValidator<CircularForm>
{
    public CircularFormValidator(TimeProvider clock)
    {
        const int max = CircularConfiguration.SectionMax;
        RuleFor(c => c.Title).NotEmpty().WithMessage("Give the circular a title.")
            .MaximumLength(CircularConfiguration.TitleMax).WithMessage($"Keep the title to {CircularConfiguration.TitleMax} characters or fewer (it has {{TotalLength}}).");
        RuleFor(c => c.Severity).NotNull().WithMessage("Choose a severity.").IsInEnum().WithMessage("Choose a severity from the list.");
        RuleFor(c => c.Tlp).NotNull().WithMessage("Choose a TLP label.").IsInEnum().WithMessage("Choose a TLP label from the list.");
        RuleFor(c => c.Summary).NotEmpty().WithMessage("Write a summary: what is banned and why, in a few sentences.")
            .MaximumLength(max).WithMessage($"Keep the summary to {max:N0} characters or fewer (it has {{TotalLength:N0}}).");
        RuleFor(c => c.RequiredActions).NotEmpty().WithMessage("Say what staff must do (the required actions).")
            .MaximumLength(max).WithMessage($"Keep the required actions to {max:N0} characters or fewer (they have {{TotalLength:N0}}).");
        RuleFor(c => c.Background).MaximumLength(max).WithMessage($"Keep the background to {max:N0} characters or fewer (it has {{TotalLength:N0}}).");
        RuleFor(c => c.RiskAssessment).MaximumLength(max).WithMessage($"Keep the risk assessment to {max:N0} characters or fewer (it has {{TotalLength:N0}}).");
        RuleFor(c => c.Impact).MaximumLength(max).WithMessage($"Keep the impact to {max:N0} characters or fewer (it has {{TotalLength:N0}}).");
        RuleFor(c => c.References).MaximumLength(max).WithMessage($"Keep the references to {max:N0} characters or fewer (they have {{TotalLength:N0}}).");
        RuleFor(c => c.FamilySummary).MaximumLength(4000).WithMessage("Keep the family summary to 4,000 characters or fewer (it has {TotalLength:N0}): families read it on a phone.");
        RuleFor(c => c.HindiTitle).MaximumLength(CircularConfiguration.TitleMax)
            .WithMessage($"Keep the Hindi title to {CircularConfiguration.TitleMax} characters or fewer (it has {{TotalLength}}).");
        RuleFor(c => c.HindiFamilySummary).MaximumLength(4000).WithMessage("Keep the Hindi family summary to 4,000 characters or fewer (it has {TotalLength:N0}): families read it on a phone.");
        RuleFor(c => c.HindiRequiredActions).MaximumLength(max).WithMessage($"Keep the Hindi required actions to {max:N0} characters or fewer (they have {{TotalLength:N0}}).");
        RuleFor(c => c.InternalNotes).MaximumLength(max).WithMessage($"Keep the internal notes to {max:N0} characters or fewer (they have {{TotalLength:N0}}).");
        RuleFor(c => c.AcknowledgementDeadline).NotNull().WithMessage("Set the date by which staff must acknowledge.")
            .Must(d => d >= DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)).WithMessage("The acknowledgement deadline cannot be in the past.")
            .Must(d => d <= DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddYears(2)).WithMessage("The acknowledgement deadline must be within two years.");
    }
}
