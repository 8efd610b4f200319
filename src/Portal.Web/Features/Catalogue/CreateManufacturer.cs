using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;

namespace Portal.Web.Features.ProductCatalogue;

/// <summary>An officer or administrator adds a manufacturer to the catalogue.</summary>
public static class CreateManufacturer
{
    public sealed record Command : ManufacturerForm, ICommand<Guid>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(PortalDbContext db) => Include(new ManufacturerFormValidator(db));
    }

    internal sealed class Handler(PortalDbContext db, TimeProvider clock, Devices.Recatalogue recatalogue) : ICommandHandler<Command, Guid>
    {
        public async ValueTask<Guid> Handle(Command request, CancellationToken ct)
        {
            var manufacturer = Manufacturer.Create(request.Name!, request.AliasList(), request.VendorOrganisationId, clock.GetUtcNow());
            db.Manufacturers.Add(manufacturer);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException ex) when (ex.IsUniqueViolation())
            {
                throw ManufacturerFormValidator.NameTaken(request);
            }
            await recatalogue.ApplyAsync(ct);
            return manufacturer.Id;
        }
    }
}
