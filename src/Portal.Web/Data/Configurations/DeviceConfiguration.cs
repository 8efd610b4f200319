using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Web.Domain;

namespace Portal.Web.Data.Configurations;

internal sealed class DeviceConfiguration : IEntityTypeConfiguration<Device>
{
    public void Configure(EntityTypeBuilder<Device> b)
    {
        b.ToTable("devices");
        b.Property(d => d.Id).ValueGeneratedNever();
        b.Property(d => d.ManufacturerName).HasMaxLength(200);
        b.Property(d => d.Model).HasMaxLength(200);
        b.Property(d => d.Imei).HasMaxLength(15);
        b.Property(d => d.Tac).HasMaxLength(8);
        b.Property(d => d.OsVersion).HasMaxLength(100);
        b.Property(d => d.OsVersionKey).HasMaxLength(400);
        b.Property(d => d.SerialNumber).HasMaxLength(100);
        b.Property(d => d.DeviceName).HasMaxLength(200);
        b.Property(d => d.Source).HasConversion<string>().HasMaxLength(20);
        b.Property(d => d.RemovalReason).HasMaxLength(200);
        // One registration per phone: an import updates it rather than duplicating it. Removed devices keep their history.
        b.HasIndex(d => d.Imei).IsUnique().HasFilter("removed_at IS NULL");
        b.HasIndex(d => d.StaffMemberId);
        b.HasIndex(d => d.DependentId);
        b.HasIndex(d => d.Tac);
        b.HasIndex(d => d.ManufacturerId);
        b.HasOne<StaffMember>().WithMany().HasForeignKey(d => d.StaffMemberId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Dependent>().WithMany().HasForeignKey(d => d.DependentId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Manufacturer>().WithMany().HasForeignKey(d => d.ManufacturerId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<DeviceModel>().WithMany().HasForeignKey(d => d.DeviceModelId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class ComplianceFindingConfiguration : IEntityTypeConfiguration<ComplianceFinding>
{
    public void Configure(EntityTypeBuilder<ComplianceFinding> b)
    {
        b.ToTable("compliance_findings");
        b.Property(f => f.Id).UseIdentityByDefaultColumn();
        b.Property(f => f.Action).HasConversion<string>().HasMaxLength(20);
        b.Property(f => f.State).HasConversion<string>().HasMaxLength(20);
        b.Property(f => f.Resolution).HasMaxLength(200);
        b.Property(f => f.ExemptionState).HasConversion<string>().HasMaxLength(20);
        b.Property(f => f.ExemptionReason).HasMaxLength(2000);
        b.Property(f => f.ExemptionDecisionNote).HasMaxLength(2000);
        // At most one open finding per device and circular; resolved ones stay as the record.
        b.HasIndex(f => new { f.DeviceId, f.CircularId }).IsUnique().HasFilter("state <> 'Remediated'").HasDatabaseName("ix_compliance_findings_open");
        b.HasIndex(f => new { f.CircularId, f.State });
        b.HasIndex(f => f.ExemptionExpiresAt).HasFilter("state = 'Exempted'").HasDatabaseName("ix_compliance_findings_exemption_expiry");
        b.HasOne<Device>().WithMany().HasForeignKey(f => f.DeviceId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Circular>().WithMany().HasForeignKey(f => f.CircularId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class DeviceImportConfiguration : IEntityTypeConfiguration<DeviceImport>
{
    public void Configure(EntityTypeBuilder<DeviceImport> b)
    {
        b.ToTable("device_imports");
        b.Property(i => i.Id).ValueGeneratedNever();
        b.Property(i => i.FileName).HasMaxLength(200);
        b.Property(i => i.State).HasConversion<string>().HasMaxLength(20);
        b.Property(i => i.Mapping).HasColumnType("jsonb")
            .HasConversion(Json<Dictionary<string, string>>.Converter, Json<Dictionary<string, string>>.Comparer);
        b.Property(i => i.Rejections).HasColumnType("jsonb")
            .HasConversion(Json<List<ImportRejection>>.Converter, Json<List<ImportRejection>>.Comparer);
        b.HasIndex(i => i.UploadedById);
        b.HasOne<PortalUser>().WithMany().HasForeignKey(i => i.UploadedById).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(i => i.UploadedByClientId);
        b.HasOne<ApiClient>().WithMany().HasForeignKey(i => i.UploadedByClientId).OnDelete(DeleteBehavior.Restrict);
        b.Property(i => i.Failure).HasMaxLength(500);
        b.HasIndex(i => i.QueuedAt).HasFilter("state IN ('Queued', 'Running')");
    }
}

