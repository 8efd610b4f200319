using Portal.Web.Infrastructure.Localization;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;

namespace Portal.Web.Features.ProductCatalogue;

/// <summary>The fields of a manufacturer; <see cref="CreateManufacturer"/> and <see cref="EditManufacturer"/> both post them.</summary>
public abstract record ManufacturerForm
{
    /// <summary>Empty for a new manufacturer.</summary>
    public Guid Id { get; set; }
    public string? Name { get; init; }

    /// <summary>As typed: separated by commas, semicolons or new lines.</summary>
    public string? Aliases { get; init; }
    public Guid? VendorOrganisationId { get; init; }

    public string[] AliasList() => Catalogue.SplitList(Aliases);
}

/// <summary>
/// A name or alias stands for one manufacturer only: rules and device registrations look manufacturers up
/// by what people type, so "Mi" must not mean two makers.
/// </summary>
public sealed class ManufacturerFormValidator : AbstractValidator<ManufacturerForm>
{
    public const int AliasMax = 100;

    public ManufacturerFormValidator(PortalDbContext db)
    {
        RuleFor(m => m.Name).NotEmpty().WithMessage("Enter the manufacturer's name, for example Xiaomi.")
            .MaximumLength(200).WithMessage("Keep the name to 200 characters or fewer (it has {TotalLength}).");
        RuleFor(m => m.Aliases).MaximumLength(2000).WithMessage("Keep the aliases to 2,000 characters or fewer in all.");
        RuleFor(m => m.VendorOrganisationId)
            .MustAsync(async (id, ct) => id is null || await db.VendorOrganisations.AnyAsync(v => v.Id == id, ct))
            .WithMessage("Choose the vendor organisation from the list.");
        RuleFor(m => m).CustomAsync(async (form, context, ct) =>
        {
            var name = form.Name?.Trim() ?? "";
            var others = await db.Manufacturers.AsNoTracking().Where(m => m.Id != form.Id)
                .Select(m => new { m.Name, m.Aliases }).ToListAsync(ct);
            string? Owner(string word) => others.FirstOrDefault(o =>
                string.Equals(o.Name, word, StringComparison.OrdinalIgnoreCase)
                || o.Aliases.Contains(word, StringComparer.OrdinalIgnoreCase))?.Name;

            if (name.Length > 0 && Owner(name) is { } owner)
                context.AddFailure(Sentences.Failure(nameof(ManufacturerForm.Name), string.Equals(owner, name, StringComparison.OrdinalIgnoreCase)
                    ? new Sentence("There is already a manufacturer called “{0}”: edit that one instead.", owner)
                    : new Sentence("“{0}” is already an alias of {1}.", name, owner)));
            foreach (var alias in form.AliasList())
            {
                if (alias.Length > AliasMax)
                    context.AddFailure(Sentences.Failure(nameof(ManufacturerForm.Aliases), new Sentence("Keep each alias to {0} characters or fewer; “{1}…” is longer.", AliasMax, alias[..20])));
                else if (Owner(alias) is { } aliasOwner)
                    context.AddFailure(Sentences.Failure(nameof(ManufacturerForm.Aliases), new Sentence("The alias “{0}” already stands for {1}.", alias, aliasOwner)));
            }
        });
    }

    public static ValidationException NameTaken(ManufacturerForm form) =>
        new([Sentences.Failure(nameof(ManufacturerForm.Name), new Sentence("There is already a manufacturer called “{0}”: edit that one instead.", form.Name?.Trim()))]);
}
