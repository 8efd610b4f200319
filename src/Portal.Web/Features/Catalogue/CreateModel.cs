using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;

namespace Portal.Web.Features.ProductCatalogue;

/// <summary>An officer or administrator adds a device model under a manufacturer.</summary>
public static class CreateModel
{
    public sealed record Command : ModelForm, ICommand<Guid>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(PortalDbContext db) => Include(new ModelFormValidator(db));
    }

    internal sealed class Handler(PortalDbContext db, TimeProvider clock, Devices.Recatalogue recatalogue) : ICommandHandler<Command, Guid>
    {
        public async ValueTask<Guid> Handle(Command request, CancellationToken ct)
        {
            var model = DeviceModel.Create(request.ManufacturerId!.Value, request.MarketingName!, request.ModelNumberList(), request.TacList(), clock.GetUtcNow());
            db.DeviceModels.Add(model);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException ex) when (ex.IsUniqueViolation())
            {
                throw ModelFormValidator.NameTaken(request);
            }
            await recatalogue.ApplyAsync(ct);
            return model.Id;
        }
    }
}
