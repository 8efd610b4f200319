using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Web;

namespace Portal.Web.Features.ProductCatalogue;

/// <summary>Changes a model's marketing name, model numbers or TACs; its manufacturer stays.</summary>
public static class EditModel
{
    public sealed record Query(Guid Id) : IRequest<Command>;

    public sealed record Command : ModelForm, ICommand<Done>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(PortalDbContext db) => Include(new ModelFormValidator(db));
    }

    internal sealed class QueryHandler(PortalDbContext db) : IRequestHandler<Query, Command>
    {
        public async ValueTask<Command> Handle(Query request, CancellationToken ct)
        {
            var m = await db.DeviceModels.AsNoTracking().FirstOrDefaultAsync(m => m.Id == request.Id, ct)
                ?? throw new NotFoundException("The model");
            return new Command
            {
                Id = m.Id,
                ManufacturerId = m.ManufacturerId,
                MarketingName = m.MarketingName,
                ModelNumbers = string.Join(", ", m.ModelNumbers),
                Tacs = string.Join("\n", m.Tacs),
            };
        }
    }

    internal sealed class Handler(PortalDbContext db, Devices.Recatalogue recatalogue) : ICommandHandler<Command, Done>
    {
        public async ValueTask<Done> Handle(Command request, CancellationToken ct)
        {
            var model = await db.DeviceModels.FirstOrDefaultAsync(m => m.Id == request.Id, ct)
                ?? throw new NotFoundException("The model");
            model.Change(request.MarketingName!, request.ModelNumberList(), request.TacList());
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException ex) when (ex.IsUniqueViolation())
            {
                throw ModelFormValidator.NameTaken(request);
            }
            await recatalogue.ApplyAsync(ct);
            return Done.Value;
        }
    }
}
