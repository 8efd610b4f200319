using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Web.Domain;

namespace Portal.Web.Data.Configurations;

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> b)
    {
        b.ToTable("notifications");
        b.Property(n => n.Id).UseIdentityByDefaultColumn();
        b.Property(n => n.Purpose).HasConversion<string>().HasMaxLength(20);
        b.Property(n => n.Channel).HasConversion<string>().HasMaxLength(10);
        b.Property(n => n.State).HasConversion<string>().HasMaxLength(10);
        b.Property(n => n.Address).HasMaxLength(256);
        b.Property(n => n.Language).HasMaxLength(10);
        b.Property(n => n.LastError).HasMaxLength(1000);
        b.HasIndex(n => n.NextAttemptAt).HasFilter("state = 'Pending'").HasDatabaseName("ix_notifications_due");
        b.HasIndex(n => new { n.CircularId, n.State });
        b.HasIndex(n => new { n.StaffMemberId, n.CreatedAt }).HasFilter("channel = 'InApp'").HasDatabaseName("ix_notifications_inbox");
        b.HasIndex(n => new { n.UserId, n.CreatedAt }).HasFilter("channel = 'InApp'").HasDatabaseName("ix_notifications_account_inbox");
        b.HasOne<Circular>().WithMany().HasForeignKey(n => n.CircularId).OnDelete(DeleteBehavior.Restrict);
        // The revision a notification tells about exists before it (migrations/0008_revision_keys.sql).
        b.HasOne<CircularRevision>().WithMany().HasForeignKey(n => new { n.CircularId, n.RevisionNumber })
            .HasPrincipalKey(r => new { r.CircularId, r.Number }).OnDelete(DeleteBehavior.Restrict)
            .HasConstraintName("fk_notifications_revision");
    }
}

internal sealed class NotificationAttemptConfiguration : IEntityTypeConfiguration<NotificationAttempt>
{
    public void Configure(EntityTypeBuilder<NotificationAttempt> b)
    {
        b.ToTable("notification_attempts");
        b.Property(a => a.Id).UseIdentityByDefaultColumn();
        b.Property(a => a.Outcome).HasMaxLength(20);
        b.Property(a => a.Detail).HasMaxLength(1000);
        b.HasIndex(a => a.NotificationId);
        b.HasOne<Notification>().WithMany().HasForeignKey(a => a.NotificationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AcknowledgementRequestConfiguration : IEntityTypeConfiguration<AcknowledgementRequest>
{
    public void Configure(EntityTypeBuilder<AcknowledgementRequest> b)
    {
        b.ToTable("acknowledgement_requests");
        b.Property(a => a.Id).UseIdentityByDefaultColumn();
        b.Property(a => a.Channel).HasConversion<string>().HasMaxLength(20);
        b.HasIndex(a => new { a.CircularId, a.RevisionNumber, a.StaffMemberId, a.DependentId }).IsUnique().AreNullsDistinct(false)
            .HasDatabaseName("ix_acknowledgement_requests_recipient");
        b.HasIndex(a => new { a.CircularId, a.UnitId });
        b.HasIndex(a => a.StaffMemberId);
        b.HasOne<Circular>().WithMany().HasForeignKey(a => a.CircularId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<CircularRevision>().WithMany().HasForeignKey(a => new { a.CircularId, a.RevisionNumber })
            .HasPrincipalKey(r => new { r.CircularId, r.Number }).OnDelete(DeleteBehavior.Restrict)
            .HasConstraintName("fk_acknowledgement_requests_revision");
        b.HasOne<StaffMember>().WithMany().HasForeignKey(a => a.StaffMemberId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Dependent>().WithMany().HasForeignKey(a => a.DependentId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Unit>().WithMany().HasForeignKey(a => a.UnitId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(a => a.DependentId);
    }
}
