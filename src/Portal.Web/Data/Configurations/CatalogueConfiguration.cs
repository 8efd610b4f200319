using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Web.Domain;

namespace Portal.Web.Data.Configurations;

internal sealed class ManufacturerConfiguration : IEntityTypeConfiguration<Manufacturer>
{
    public void Configure(EntityTypeBuilder<Manufacturer> b)
    {
        b.ToTable("manufacturers");
        b.Property(m => m.Name).HasMaxLength(200);
        b.HasIndex(m => m.Name).IsUnique();
        b.HasIndex(m => m.VendorOrganisationId);
        b.HasOne<VendorOrganisation>().WithMany().HasForeignKey(m => m.VendorOrganisationId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class DeviceModelConfiguration : IEntityTypeConfiguration<DeviceModel>
{
    public void Configure(EntityTypeBuilder<DeviceModel> b)
    {
        b.ToTable("device_models");
        b.Property(m => m.MarketingName).HasMaxLength(200);
        b.HasIndex(m => new { m.ManufacturerId, m.MarketingName }).IsUnique();
        b.HasIndex(m => m.Tacs).HasMethod("gin");
        b.HasOne<Manufacturer>().WithMany().HasForeignKey(m => m.ManufacturerId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class FirmwareVersionConfiguration : IEntityTypeConfiguration<FirmwareVersion>
{
    public void Configure(EntityTypeBuilder<FirmwareVersion> b)
    {
        b.ToTable("firmware_versions");
        b.Property(f => f.Version).HasMaxLength(100);
        b.Property(f => f.Notes).HasMaxLength(2000);
        b.HasIndex(f => new { f.DeviceModelId, f.Version }).IsUnique();
        b.HasOne<DeviceModel>().WithMany().HasForeignKey(f => f.DeviceModelId).OnDelete(DeleteBehavior.Cascade);
    }
}
