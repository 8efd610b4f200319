using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Web.Domain;

namespace Portal.Web.Data.Configurations;

internal sealed class UnitConfiguration : IEntityTypeConfiguration<Unit>
{
    public void Configure(EntityTypeBuilder<Unit> b)
    {
        b.ToTable("units");
        b.Property(u => u.Name).HasMaxLength(200);
        b.Property(u => u.Code).HasMaxLength(32);
        b.Property(u => u.Kind).HasConversion<string>().HasMaxLength(20);
        b.Property(u => u.Path).HasMaxLength(2000);
        b.HasIndex(u => u.Code).IsUnique();
        b.HasIndex(u => u.ParentId);
        b.HasIndex(u => u.Path).IsUnique();
        b.HasOne(u => u.Parent).WithMany().HasForeignKey(u => u.ParentId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class VendorOrganisationConfiguration : IEntityTypeConfiguration<VendorOrganisation>
{
    public void Configure(EntityTypeBuilder<VendorOrganisation> b)
    {
        b.ToTable("vendor_organisations");
        b.Property(v => v.Name).HasMaxLength(200);
        b.Property(v => v.ContactEmail).HasMaxLength(256);
        b.HasIndex(v => v.Name).IsUnique();
    }
}

internal sealed class StaffMemberConfiguration : IEntityTypeConfiguration<StaffMember>
{
    public void Configure(EntityTypeBuilder<StaffMember> b)
    {
        b.ToTable("staff_members");
        b.Property(s => s.ServiceNumber).HasMaxLength(32);
        b.Property(s => s.FullName).HasMaxLength(200);
        b.Property(s => s.Email).HasMaxLength(256);
        b.Property(s => s.MobileNumber).HasMaxLength(32);
        b.HasIndex(s => s.ServiceNumber).IsUnique();
        b.HasIndex(s => s.UnitId);
        b.HasIndex(s => s.UserId).IsUnique();
        b.HasOne(s => s.Unit).WithMany().HasForeignKey(s => s.UnitId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<PortalUser>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.SetNull);
        b.HasMany(s => s.Dependents).WithOne().HasForeignKey(d => d.StaffMemberId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DependentConfiguration : IEntityTypeConfiguration<Dependent>
{
    public void Configure(EntityTypeBuilder<Dependent> b)
    {
        b.ToTable("dependents");
        b.Property(d => d.Id).ValueGeneratedNever();
        b.Property(d => d.FullName).HasMaxLength(200);
        b.Property(d => d.Relationship).HasMaxLength(50);
        b.Property(d => d.Email).HasMaxLength(256);
        b.Property(d => d.MobileNumber).HasMaxLength(32);
        b.Property(d => d.PreferredLanguage).HasMaxLength(10);
        b.HasIndex(d => d.StaffMemberId);
    }
}

internal sealed class DataProtectionKeyConfiguration : IEntityTypeConfiguration<DataProtectionKey>
{
    public void Configure(EntityTypeBuilder<DataProtectionKey> b)
    {
        b.ToTable("data_protection_keys");
        b.Property(k => k.Id).UseIdentityAlwaysColumn();
        b.Property(k => k.FriendlyName).HasMaxLength(200);
    }
}
