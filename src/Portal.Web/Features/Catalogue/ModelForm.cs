using Portal.Web.Infrastructure.Localization;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;

namespace Portal.Web.Features.ProductCatalogue;

/// <summary>The fields of a device model; <see cref="CreateModel"/> and <see cref="EditModel"/> both post them.</summary>
public abstract record ModelForm
{
    /// <summary>Empty for a new model.</summary>
    public Guid Id { get; set; }

    /// <summary>Chosen when the model is created; a model never moves to another manufacturer (rules name both).</summary>
    public Guid? ManufacturerId { get; init; }
    public string? MarketingName { get; init; }

    /// <summary>As typed: separated by commas, semicolons or new lines.</summary>
    public string? ModelNumbers { get; init; }

    /// <summary>As typed: separated by commas, semicolons or new lines.</summary>
    public string? Tacs { get; init; }

    public string[] ModelNumberList() => Catalogue.SplitList(ModelNumbers);

    public string[] TacList() => Catalogue.SplitList(Tacs);
}

/// <summary>
/// A TAC (type allocation code, the first eight digits of an IMEI) is allocated to one model, so a TAC
/// already in the catalogue under another model is refused, naming that model.
/// </summary>
public sealed class ModelFormValidator : AbstractValidator<ModelForm>
{
    public const int ModelNumberMax = 100;

    public ModelFormValidator(PortalDbContext db)
    {
        RuleFor(m => m.MarketingName).NotEmpty().WithMessage("Enter the model's marketing name, for example Redmi 1S.")
            .MaximumLength(200).WithMessage("Keep the marketing name to 200 characters or fewer (it has {TotalLength}).");
        RuleFor(m => m.ModelNumbers).MaximumLength(4000).WithMessage("Keep the model numbers to 4,000 characters or fewer in all.");
        RuleFor(m => m.Tacs).MaximumLength(20_000).WithMessage("Keep the TAC list to 20,000 characters or fewer; add more in a second edit.");
        RuleFor(m => m).Custom((form, context) =>
        {
            foreach (var number in form.ModelNumberList().Where(n => n.Length > ModelNumberMax))
                context.AddFailure(Sentences.Failure(nameof(ModelForm.ModelNumbers), new Sentence("Keep each model number to {0} characters or fewer; “{1}…” is longer.", ModelNumberMax, number[..20])));
            foreach (var tac in form.TacList().Where(t => !Catalogue.IsTac(t)))
                context.AddFailure(Sentences.Failure(nameof(ModelForm.Tacs), new Sentence("“{0}” is not a TAC: a TAC is exactly 8 digits, the first eight of the IMEI.", Shorten(tac))));
        });
        RuleFor(m => m).CustomAsync(async (form, context, ct) =>
        {
            // An existing model keeps its manufacturer whatever was posted.
            var manufacturerId = await db.DeviceModels.Where(m => m.Id == form.Id).Select(m => (Guid?)m.ManufacturerId).FirstOrDefaultAsync(ct)
                ?? form.ManufacturerId;
            var manufacturer = manufacturerId is null ? null
                : await db.Manufacturers.AsNoTracking().Where(m => m.Id == manufacturerId).Select(m => m.Name).FirstOrDefaultAsync(ct);
            if (manufacturer is null)
            {
                context.AddFailure(new ValidationFailure(nameof(ModelForm.ManufacturerId),
                    manufacturerId is null ? "Choose the manufacturer." : "Choose the manufacturer from the list."));
                return;
            }
            var name = form.MarketingName?.Trim() ?? "";
            if (name.Length > 0 && await db.DeviceModels.AnyAsync(m => m.ManufacturerId == manufacturerId && m.Id != form.Id
                    && m.MarketingName.ToLower() == name.ToLower(), ct))
                context.AddFailure(new ValidationFailure(nameof(ModelForm.MarketingName), $"{manufacturer} already has a model called “{name}”."));

            var tacs = form.TacList().Where(Catalogue.IsTac).ToArray();
            if (tacs.Length == 0) return;
            var taken = await db.DeviceModels.AsNoTracking().Where(m => m.Id != form.Id && m.Tacs.Any(t => tacs.Contains(t)))
                .Select(m => new { m.MarketingName, m.Tacs, Manufacturer = db.Manufacturers.Where(x => x.Id == m.ManufacturerId).Select(x => x.Name).First() })
                .ToListAsync(ct);
            foreach (var tac in tacs)
            {
                if (taken.FirstOrDefault(m => m.Tacs.Contains(tac)) is { } owner)
                    context.AddFailure(new ValidationFailure(nameof(ModelForm.Tacs), $"TAC {tac} already belongs to {owner.Manufacturer} {owner.MarketingName}."));
            }
        });
    }

    private static string Shorten(string value) => value.Length <= 30 ? value : value[..30] + "…";

    public static ValidationException NameTaken(ModelForm form) =>
        new([Sentences.Failure(nameof(ModelForm.MarketingName), new Sentence("This manufacturer already has a model called “{0}”.", form.MarketingName?.Trim()))]);
}
