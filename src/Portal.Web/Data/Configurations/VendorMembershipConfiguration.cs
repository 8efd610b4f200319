using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Web.Domain;

namespace Portal.Web.Data.Configurations;

internal sealed class VendorMembershipRequestConfiguration : IEntityTypeConfiguration<VendorMembershipRequest>
{
    public void Configure(EntityTypeBuilder<VendorMembershipRequest> b)
    {
        b.ToTable("vendor_membership_requests");
        b.Property(r => r.Id).ValueGeneratedNever();
        b.Property(r => r.Note).HasMaxLength(1000);
        b.Property(r => r.State).HasConversion<string>().HasMaxLength(20);
        b.Property(r => r.Version).HasColumnName("xmin").HasColumnType("xid").IsRowVersion();
        b.HasIndex(r => r.UserId, "OnePending").IsUnique().HasDatabaseName("ix_vendor_membership_requests_one_pending").HasFilter("state = 'Pending'");
        b.HasIndex(r => new { r.VendorOrganisationId, r.State });
        b.HasOne<PortalUser>().WithMany().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<VendorOrganisation>().WithMany().HasForeignKey(r => r.VendorOrganisationId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<PortalUser>().WithMany().HasForeignKey(r => r.DecidedById).OnDelete(DeleteBehavior.Restrict);
    }
}
