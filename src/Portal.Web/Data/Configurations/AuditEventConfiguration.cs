using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Web.Domain;

namespace Portal.Web.Data.Configurations;

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> b)
    {
        b.ToTable("audit_events");
        b.Property(e => e.Id).UseIdentityByDefaultColumn();
        b.Property(e => e.EntityType).HasMaxLength(50);
        b.Property(e => e.Action).HasMaxLength(50);
        b.Property(e => e.Reason).HasMaxLength(2000);
        b.Property(e => e.Data).HasColumnType("jsonb");
        // Filled by the audit_events_chain trigger (migrations/0002).
        b.Property(e => e.ChainPosition).ValueGeneratedOnAdd();
        b.Property(e => e.PreviousHash).ValueGeneratedOnAdd();
        b.Property(e => e.Hash).ValueGeneratedOnAdd();
        b.HasIndex(e => new { e.EntityType, e.EntityId, e.Id });
        b.HasIndex(e => e.ChainPosition).IsUnique();
        b.HasOne<PortalUser>().WithMany().HasForeignKey(e => e.ActorId).OnDelete(DeleteBehavior.Restrict);
    }
}
