using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Web.Domain;

namespace Portal.Web.Data.Configurations;

internal sealed class CircularConfiguration : IEntityTypeConfiguration<Circular>
{
    public const int TitleMax = 200;
    public const int SectionMax = 20_000;

    public void Configure(EntityTypeBuilder<Circular> b)
    {
        b.ToTable("circulars");
        b.Property(c => c.ReferenceNumber).HasMaxLength(40);
        b.Property(c => c.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(c => c.Severity).HasConversion<string>().HasMaxLength(20);
        b.Property(c => c.Tlp).HasConversion<string>().HasMaxLength(20);
        b.Property(c => c.Title).HasMaxLength(TitleMax);
        b.Property(c => c.Version).HasColumnName("xmin").HasColumnType("xid").IsRowVersion();
        b.HasIndex(c => c.ReferenceNumber).IsUnique();
        b.HasIndex(c => new { c.Status, c.UpdatedAt });
        b.HasOne<PortalUser>().WithMany().HasForeignKey(c => c.CreatedById).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<PortalUser>().WithMany().HasForeignKey(c => c.UpdatedById).OnDelete(DeleteBehavior.Restrict);
    }
}
