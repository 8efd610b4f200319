using Portal.Web.Infrastructure.Localization;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Web;

namespace Portal.Web.Features.ProductCatalogue;

/// <summary>Records a firmware version of a model, so rules can say "below version X" and vendors' fixes can be named.</summary>
public static class AddFirmware
{
    /// <summary>The blank form for a model (404 when there is no such model).</summary>
    public sealed record Query(Guid DeviceModelId) : IRequest<Command>;

    public sealed record Command : ICommand<Done>
    {
        public Guid DeviceModelId { get; set; }
        public string? Version { get; init; }
        public DateOnly? ReleasedOn { get; init; }
        public string? Notes { get; init; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(PortalDbContext db, TimeProvider clock)
        {
            RuleFor(f => f.Version).NotEmpty().WithMessage("Enter the firmware version as the vendor writes it, for example V5.8.22.")
                .MaximumLength(100).WithMessage("Keep the version to 100 characters or fewer (it has {TotalLength}).")
                .MustAsync(async (f, version, ct) => !await db.FirmwareVersions.AnyAsync(x => x.DeviceModelId == f.DeviceModelId && x.Version.ToLower() == version!.Trim().ToLower(), ct))
                .WithSentence((f, _) => new Sentence("Version {0} of this model is already in the catalogue.", f.Version?.Trim()));
            RuleFor(f => f.ReleasedOn)
                .Must(d => d is null || d <= DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddDays(1))
                .WithMessage("The release date cannot be in the future: leave it empty if the version is announced but not out.");
            RuleFor(f => f.Notes).MaximumLength(2000).WithMessage("Keep the notes to 2,000 characters or fewer (they have {TotalLength}).");
        }
    }

    internal sealed class QueryHandler(PortalDbContext db) : IRequestHandler<Query, Command>
    {
        public async ValueTask<Command> Handle(Query request, CancellationToken ct) =>
            await db.DeviceModels.AnyAsync(m => m.Id == request.DeviceModelId, ct)
                ? new Command { DeviceModelId = request.DeviceModelId }
                : throw new NotFoundException("The model");
    }

    internal sealed class Handler(PortalDbContext db) : ICommandHandler<Command, Done>
    {
        public async ValueTask<Done> Handle(Command request, CancellationToken ct)
        {
            if (!await db.DeviceModels.AnyAsync(m => m.Id == request.DeviceModelId, ct))
                throw new NotFoundException("The model");
            db.FirmwareVersions.Add(FirmwareVersion.Create(request.DeviceModelId, request.Version!, request.ReleasedOn, request.Notes));
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException ex) when (ex.IsUniqueViolation())
            {
                throw new ValidationException([new FluentValidation.Results.ValidationFailure(nameof(Command.Version), $"Version {request.Version?.Trim()} of this model is already in the catalogue.")]);
            }
            return Done.Value;
        }
    }
}
