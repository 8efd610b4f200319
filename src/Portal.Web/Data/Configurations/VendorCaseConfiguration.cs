using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Web.Domain;

namespace Portal.Web.Data.Configurations;

internal sealed class VendorCaseConfiguration : IEntityTypeConfiguration<VendorCase>
{
    public void Configure(EntityTypeBuilder<VendorCase> b)
    {
        b.ToTable("vendor_cases");
        b.Property(c => c.Id).ValueGeneratedNever();
        b.HasIndex(c => new { c.CircularId, c.VendorOrganisationId }).IsUnique();
        b.HasIndex(c => c.VendorOrganisationId);
        b.HasOne<Circular>().WithMany().HasForeignKey(c => c.CircularId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<VendorOrganisation>().WithMany().HasForeignKey(c => c.VendorOrganisationId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<PortalUser>().WithMany().HasForeignKey(c => c.FirstSeenById).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(c => c.Models).WithOne().HasForeignKey(m => m.CaseId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(c => c.Models).HasField("_models");
    }
}

internal sealed class CaseModelConfiguration : IEntityTypeConfiguration<CaseModel>
{
    public void Configure(EntityTypeBuilder<CaseModel> b)
    {
        b.ToTable("vendor_case_models");
        b.Property(m => m.Id).ValueGeneratedNever();
        b.Property(m => m.MarketingName).HasMaxLength(200);
        b.Property(m => m.Status).HasConversion<string>().HasMaxLength(20);
        b.HasIndex(m => new { m.CaseId, m.DeviceModelId }).IsUnique();
        b.HasOne<DeviceModel>().WithMany().HasForeignKey(m => m.DeviceModelId).OnDelete(DeleteBehavior.Restrict);
    }
}
