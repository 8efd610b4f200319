using Portal.Web.Infrastructure.Localization;
using System.Text.Json;
using System.Text.RegularExpressions;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Auth;

namespace Portal.Web.Features.Circulars;

/// <summary>
/// An officer adds a rule to the working copy: a manufacturer and which of its models (one model, a
/// wildcard pattern, TAC prefixes, or every model on purpose), optionally only below a firmware version.
/// </summary>
public static partial class AddRule
{
    /// <summary>The blank form, pinned to the version of the circular the page shows.</summary>
    public sealed record Query(Guid Id) : IRequest<Command>;

    public sealed record Command : CircularTransition, ICommand<Done>
    {
        public Guid? ManufacturerId { get; init; }
        public Guid? DeviceModelId { get; init; }
        public string? ModelPattern { get; init; }

        /// <summary>As typed: separated by commas, semicolons or new lines.</summary>
        public string? TacPrefixes { get; init; }

        /// <summary>The rule covers every model of the manufacturer: said on purpose, never implied by leaving the rest empty.</summary>
        public bool EveryModel { get; init; }
        public string? FirmwareBelow { get; init; }
        public RuleAction? Action { get; init; }
        public string? Note { get; init; }

        public string[] TacPrefixList() => Catalogue.SplitList(TacPrefixes);

        public bool NamesModels => DeviceModelId is not null || !string.IsNullOrWhiteSpace(ModelPattern) || TacPrefixList().Length > 0;
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(PortalDbContext db)
        {
            RuleFor(r => r.ManufacturerId).NotNull().WithMessage("Choose the manufacturer.");
            RuleFor(r => r.Action).NotNull().WithMessage("Choose what the rule does: banned, restricted or monitor.")
                .IsInEnum().WithMessage("Choose banned, restricted or monitor.");
            RuleFor(r => r.ModelPattern)
                .Must(p => CircularRule.PatternProblem(p!.Trim()) is null).WithSentence((r, _) => CircularRule.PatternProblem(r.ModelPattern!.Trim())!)
                .When(r => !string.IsNullOrWhiteSpace(r.ModelPattern));
            RuleFor(r => r.ModelPattern).Empty().WithMessage("Choose a model or give a pattern, not both.")
                .When(r => r.DeviceModelId is not null);
            RuleFor(r => r.FirmwareBelow).MaximumLength(100).WithMessage("Keep the firmware version to 100 characters or fewer (it has {TotalLength}).");
            RuleFor(r => r.Note).MaximumLength(2000).WithMessage("Keep the note to 2,000 characters or fewer (it has {TotalLength}).");
            RuleFor(r => r.EveryModel)
                .Must((r, every) => every || r.NamesModels)
                .WithMessage("Say which models the rule covers: choose a model, give a pattern or TAC prefixes, or tick “every model of this manufacturer”.")
                .Must((r, every) => !every || !r.NamesModels)
                .WithMessage("You ticked “every model of this manufacturer”: leave the model, pattern and TAC prefixes empty, or untick it.");
            RuleFor(r => r).Custom((r, context) =>
            {
                foreach (var prefix in r.TacPrefixList().Where(p => !TacPrefix().IsMatch(p)))
                    context.AddFailure(new ValidationFailure(nameof(Command.TacPrefixes),
                        $"“{(prefix.Length > 30 ? prefix[..30] + "…" : prefix)}” is not a TAC prefix: use {CircularRule.MinimumTacPrefixDigits} to 8 digits."));
            });
            RuleFor(r => r).CustomAsync(async (r, context, ct) =>
            {
                if (r.ManufacturerId is not { } manufacturerId) return;
                var manufacturer = await db.Manufacturers.AsNoTracking().Where(m => m.Id == manufacturerId).Select(m => m.Name).FirstOrDefaultAsync(ct);
                if (manufacturer is null)
                {
                    context.AddFailure(new ValidationFailure(nameof(Command.ManufacturerId), "Choose the manufacturer from the list."));
                    return;
                }
                if (r.DeviceModelId is not { } modelId) return;
                var model = await db.DeviceModels.AsNoTracking().Where(m => m.Id == modelId)
                    .Select(m => new { m.MarketingName, m.ManufacturerId, Manufacturer = db.Manufacturers.Where(x => x.Id == m.ManufacturerId).Select(x => x.Name).First() })
                    .FirstOrDefaultAsync(ct);
                if (model is null)
                    context.AddFailure(new ValidationFailure(nameof(Command.DeviceModelId), "Choose the model from the list."));
                else if (model.ManufacturerId != manufacturerId)
                    context.AddFailure(new ValidationFailure(nameof(Command.DeviceModelId),
                        $"The {model.MarketingName} is made by {model.Manufacturer}, not {manufacturer}: choose one of {manufacturer}'s models, or change the manufacturer."));
            });
        }
    }

    [GeneratedRegex(@"^\d{6,8}$")]
    private static partial Regex TacPrefix();

    internal sealed class QueryHandler(PortalDbContext db) : IRequestHandler<Query, Command>
    {
        public async ValueTask<Command> Handle(Query request, CancellationToken ct) =>
            new() { Id = request.Id, Version = await db.VersionAsync(request.Id, ct) };
    }

    internal sealed class Handler(ICurrentUser user, PortalDbContext db, TimeProvider clock) : ICommandHandler<Command, Done>
    {
        public async ValueTask<Done> Handle(Command request, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            var circular = await db.LoadForChangeAsync(request.Id, request.Version, ct);
            var rule = circular.AddRule(request.ManufacturerId!.Value, request.DeviceModelId, request.ModelPattern, request.TacPrefixList(),
                request.FirmwareBelow, request.Action!.Value, request.Note, user.Id, now);
            var names = await RuleNames.ForAsync(db, [rule], ct);
            db.Audit(circular, "RuleAdded", user.Id, now, names.Describe(rule), JsonSerializer.Serialize(new
            {
                rule = rule.Id, action = rule.Action.ToString(), manufacturer = rule.ManufacturerId, model = rule.DeviceModelId,
                pattern = rule.ModelPattern, tacPrefixes = rule.TacPrefixes, firmwareBelow = rule.FirmwareBelow,
            }));
            await db.SaveChangesAsync(ct);
            return Done.Value;
        }
    }
}
