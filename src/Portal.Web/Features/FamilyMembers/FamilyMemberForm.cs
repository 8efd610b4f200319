using System.Net.Mail;
using System.Text.RegularExpressions;
using FluentValidation;

namespace Portal.Web.Features.FamilyMembers;

/// <summary>What a staff member (or an administrator for them) records about a family member.</summary>
public abstract partial record FamilyMemberForm
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

    /// <summary>Spaces, dashes, dots and brackets people type are dropped: "+91 98765-43210" → "+919876543210".</summary>
    public string? NormalisedMobile => string.IsNullOrWhiteSpace(MobileNumber) ? null : PhoneNoise().Replace(MobileNumber, "");

    [GeneratedRegex(@"[\s\-\.\(\)]")]
    private static partial Regex PhoneNoise();

    [GeneratedRegex(@"^\+[1-9]\d{7,14}$")]
    internal static partial Regex InternationalNumber();

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
    public FamilyMemberFormValidator()
    {
        RuleFor(f => f.FullName).NotEmpty().WithMessage("Give the family member's name.")
            .MaximumLength(200).WithMessage("Keep the name to 200 characters or fewer.");
        RuleFor(f => f.Relationship).NotEmpty().WithMessage("Choose the relationship.")
            .Must(r => r is null || FamilyMemberForm.Relationships.Contains(r)).WithMessage("Choose a relationship from the list.");
        RuleFor(f => f.PreferredLanguage).Must(l => FamilyMemberForm.Languages.Any(x => x.Code == l)).WithMessage("Choose a language from the list.");
        RuleFor(f => f.NormalisedEmail).Must(e => e is null || (e.Length <= 256 && FamilyMemberForm.IsEmail(e)))
            .WithMessage(f => $"\"{f.Email}\" is not an e-mail address. Check it, or leave it empty and give a mobile number.")
            .OverridePropertyName(nameof(FamilyMemberForm.Email));
        RuleFor(f => f.NormalisedMobile).Must(m => m is null || FamilyMemberForm.InternationalNumber().IsMatch(m))
            .WithMessage(f => $"\"{f.MobileNumber}\" is not a mobile number in international form: start with + and the country code, for example +91 98765 43210.")
            .OverridePropertyName(nameof(FamilyMemberForm.MobileNumber));
        RuleFor(f => f).Must(f => f.NormalisedEmail is not null || f.NormalisedMobile is not null)
            .WithMessage("Give an e-mail address or a mobile number (or both), so the notice can reach them.")
            .OverridePropertyName(nameof(FamilyMemberForm.Email));
    }
}
