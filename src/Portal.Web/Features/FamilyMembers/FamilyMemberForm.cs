using Portal.Web.Domain;
using Portal.Web.Infrastructure.Localization;
using System.Net.Mail;
using FluentValidation;
using Portal.Web.Infrastructure.Text;

namespace Portal.Web.Features.FamilyMembers;

/// <summary>What a staff member (or an administrator for them) records about a family member.</summary>
public abstract record FamilyMemberForm
{
    public static readonly IReadOnlyList<(string Code, string Name)> Languages = [("en", "English"), ("hi", "हिन्दी (Hindi)")];
    public static readonly IReadOnlyList<string> Relationships = ["Spouse", "Partner", "Child", "Parent", "Sibling", "Other"];

    /// <summary>Empty for the signed-in staff member's own family.</summary>
    public Guid? StaffMemberId { get; set; }
    public string? FullName { get; init; }
    public string? Relationship { get; init; }
    public string? Email { get; init; }
    public string? MobileNumber { get; init; }
    public string? PreferredLanguage { get; init; } = "en";
    public bool ConsentToContact { get; init; }

    public string? NormalisedEmail => string.IsNullOrWhiteSpace(Email) ? null : Email.Trim();

    internal static bool IsEmail(string value)
    {
        if (!MailAddress.TryCreate(value, out var address) || address.Address != value)
            return false;
        var at = value.LastIndexOf('@');
        return at > 0 && value[(at + 1)..].Contains('.', StringComparison.Ordinal);
    }
}

public sealed class FamilyMemberFormValidator : AbstractValidator<FamilyMemberForm>
{
    public FamilyMemberFormValidator(MobileNumbers mobiles)
    {
        RuleFor(f => f.FullName).NotEmpty().WithMessage("Give the family member's name.")
            .MaximumLength(200).WithMessage("Keep the name to 200 characters or fewer.");
        RuleFor(f => f.Relationship).NotEmpty().WithMessage("Choose the relationship.")
            .Must(r => r is null || FamilyMemberForm.Relationships.Contains(r)).WithMessage("Choose a relationship from the list.");
        RuleFor(f => f.PreferredLanguage).Must(l => FamilyMemberForm.Languages.Any(x => x.Code == l)).WithMessage("Choose a language from the list.");
        RuleFor(f => f.NormalisedEmail).Must(e => e is null || (e.Length <= 256 && FamilyMemberForm.IsEmail(e)))
            .WithSentence((f, _) => new Sentence("\"{0}\" is not an e-mail address. Check it, or leave it empty and give a mobile number.", f.Email))
            .OverridePropertyName(nameof(FamilyMemberForm.Email));
        RuleFor(f => f.MobileNumber).Custom((typed, context) =>
        {
            if (!string.IsNullOrWhiteSpace(typed) && !mobiles.TryNormalise(typed, out _, out var error))
                context.AddFailure(error);
        });
        RuleFor(f => f).Must(f => f.NormalisedEmail is not null || !string.IsNullOrWhiteSpace(f.MobileNumber))
            .WithMessage("Give an e-mail address or a mobile number (or both), so the notice can reach them.")
            .OverridePropertyName(nameof(FamilyMemberForm.Email));
    }
}
