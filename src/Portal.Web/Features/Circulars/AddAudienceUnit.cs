using System.Text.Json;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Auth;

namespace Portal.Web.Features.Circulars;

/// <summary>An officer adds a unit, and with it every unit below, to the working copy's audience.</summary>
public static class AddAudienceUnit
{
    public sealed record Query(Guid Id) : IRequest<Command>;

    public sealed record Command : CircularTransition, ICommand<Done>
    {
        public Guid? UnitId { get; init; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(PortalDbContext db)
        {
            RuleFor(a => a.UnitId).NotNull().WithMessage("Choose a unit.");
            RuleFor(a => a.UnitId).CustomAsync(async (unitId, context, ct) =>
            {
                if (unitId is null) return;
                var unit = await db.Units.AsNoTracking().Where(u => u.Id == unitId).Select(u => new { u.Name, u.Path }).FirstOrDefaultAsync(ct);
                if (unit is null)
                {
                    context.AddFailure("Choose the unit from the list.");
                    return;
                }
                // The audience takes whole subtrees: a unit below one already chosen adds nobody.
                var circularId = context.InstanceToValidate.Id;
                var covering = await db.CircularAudienceUnits.AsNoTracking().Where(a => a.CircularId == circularId && a.UnitId != unitId)
                    .Join(db.Units, a => a.UnitId, u => u.Id, (_, u) => u)
                    .Where(u => unit.Path.StartsWith(u.Path))
                    .Select(u => u.Name).FirstOrDefaultAsync(ct);
                if (covering is not null)
                    context.AddFailure($"{unit.Name} is already in the audience as part of {covering}: a unit brings every unit below it.");
            });
        }
    }

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
            var unit = await db.Units.AsNoTracking().SingleAsync(u => u.Id == request.UnitId, ct);
            circular.AddAudienceUnit(unit.Id, user.Id, now);
            db.Audit(circular, "AudienceUnitAdded", user.Id, now, $"{unit.Name} ({unit.Code})", JsonSerializer.Serialize(new { unit = unit.Id }));
            await db.SaveChangesAsync(ct);
            return Done.Value;
        }
    }
}
