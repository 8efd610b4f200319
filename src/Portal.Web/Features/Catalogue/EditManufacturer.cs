using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Web;

namespace Portal.Web.Features.ProductCatalogue;

/// <summary>
/// Renames a manufacturer, changes its aliases or its vendor organisation. Published revisions keep the
/// name they were published with; drafts show the new one.
/// </summary>
public static class EditManufacturer
{
    public sealed record Query(Guid Id) : IRequest<Command>;

    public sealed record Command : ManufacturerForm, ICommand<Done>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(PortalDbContext db) => Include(new ManufacturerFormValidator(db));
    }

    internal sealed class QueryHandler(PortalDbContext db) : IRequestHandler<Query, Command>
    {
        public async ValueTask<Command> Handle(Query request, CancellationToken ct)
        {
            var m = await db.Manufacturers.AsNoTracking().FirstOrDefaultAsync(m => m.Id == request.Id, ct)
                ?? throw new NotFoundException("The manufacturer");
            return new Command { Id = m.Id, Name = m.Name, Aliases = string.Join(", ", m.Aliases), VendorOrganisationId = m.VendorOrganisationId };
        }
    }

    internal sealed class Handler(PortalDbContext db, Devices.Recatalogue recatalogue) : ICommandHandler<Command, Done>
    {
        public async ValueTask<Done> Handle(Command request, CancellationToken ct)
        {
            var manufacturer = await db.Manufacturers.FirstOrDefaultAsync(m => m.Id == request.Id, ct)
                ?? throw new NotFoundException("The manufacturer");
            manufacturer.Change(request.Name!, request.AliasList(), request.VendorOrganisationId);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException ex) when (ex.IsUniqueViolation())
            {
                throw ManufacturerFormValidator.NameTaken(request);
            }
            await recatalogue.ApplyAsync(ct);
            return Done.Value;
        }
    }
}
