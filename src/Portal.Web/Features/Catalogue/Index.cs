using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;

namespace Portal.Web.Features.ProductCatalogue;

/// <summary>Every manufacturer with its aliases, vendor organisation, models and firmware versions.</summary>
public static class Index
{
    public sealed record Query : IRequest<Result>;

    public sealed record Result(IReadOnlyList<ManufacturerRow> Manufacturers);

    public sealed record ManufacturerRow(Guid Id, string Name, string[] Aliases, string? VendorOrganisation, IReadOnlyList<ModelRow> Models);

    public sealed record ModelRow(Guid Id, string MarketingName, string[] ModelNumbers, string[] Tacs, IReadOnlyList<FirmwareRow> Firmware);

    public sealed record FirmwareRow(string Version, DateOnly? ReleasedOn, string? Notes);

    internal sealed class Handler(PortalDbContext db) : IRequestHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query request, CancellationToken ct)
        {
            var manufacturers = await db.Manufacturers.AsNoTracking().OrderBy(m => m.Name)
                .Select(m => new
                {
                    m.Id, m.Name, m.Aliases,
                    Vendor = db.VendorOrganisations.Where(v => v.Id == m.VendorOrganisationId).Select(v => v.Name).FirstOrDefault(),
                })
                .ToListAsync(ct);
            var models = await db.DeviceModels.AsNoTracking().OrderBy(m => m.MarketingName)
                .Select(m => new { m.Id, m.ManufacturerId, m.MarketingName, m.ModelNumbers, m.Tacs })
                .ToListAsync(ct);
            var firmware = (await db.FirmwareVersions.AsNoTracking()
                    .Select(f => new { f.DeviceModelId, f.Version, f.ReleasedOn, f.Notes })
                    .ToListAsync(ct))
                .ToLookup(f => f.DeviceModelId);
            var modelsOf = models.ToLookup(m => m.ManufacturerId);

            return new Result(manufacturers.Select(m => new ManufacturerRow(m.Id, m.Name, m.Aliases, m.Vendor,
                modelsOf[m.Id].Select(model => new ModelRow(model.Id, model.MarketingName, model.ModelNumbers, model.Tacs,
                    firmware[model.Id]
                        .OrderBy(f => f.Version, Comparer<string>.Create(Catalogue.CompareVersions))
                        .Select(f => new FirmwareRow(f.Version, f.ReleasedOn, f.Notes)).ToList())).ToList())).ToList());
        }
    }
}
