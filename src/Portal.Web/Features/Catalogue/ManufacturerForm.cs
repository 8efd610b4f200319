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
                context.AddFailure(new ValidationFailure(nameof(ManufacturerForm.Name), string.Equals(owner, name, StringComparison.OrdinalIgnoreCase)
                    ? $"There is already a manufacturer called “{owner}”: edit that one instead."
                    : $"“{name}” is already an alias of {owner}."));
            foreach (var alias in form.AliasList())
            {
                if (alias.Length > AliasMax)
                    context.AddFailure(new ValidationFailure(nameof(ManufacturerForm.Aliases), $"Keep each alias to {AliasMax} characters or fewer; “{alias[..20]}…” is longer."));
                else if (Owner(alias) is { } aliasOwner)
                    context.AddFailure(new ValidationFailure(nameof(ManufacturerForm.Aliases), $"The alias “{alias}” already stands for {aliasOwner}."));
            }
        });
    }

    public static ValidationException NameTaken(ManufacturerForm form) =>
        new([new ValidationFailure(nameof(ManufacturerForm.Name), $"There is already a manufacturer called “{form.Name?.Trim()}”: edit that one instead.")]);
}
