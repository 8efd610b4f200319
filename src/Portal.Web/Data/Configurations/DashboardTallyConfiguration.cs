using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Web.Domain;

namespace Portal.Web.Data.Configurations;

internal sealed class AcknowledgementTallyConfiguration : IEntityTypeConfiguration<AcknowledgementTally>
{
    public void Configure(EntityTypeBuilder<AcknowledgementTally> b)
    {
        b.ToTable("acknowledgement_tallies");
        b.HasKey(t => new { t.CircularId, t.RevisionNumber, t.UnitId });
    }
}

internal sealed class AcknowledgementHourConfiguration : IEntityTypeConfiguration<AcknowledgementHour>
{
    public void Configure(EntityTypeBuilder<AcknowledgementHour> b)
    {
        b.ToTable("acknowledgement_hours");
        b.HasKey(t => new { t.CircularId, t.RevisionNumber, t.UnitId, t.Hour });
    }
}

internal sealed class AcknowledgementDayConfiguration : IEntityTypeConfiguration<AcknowledgementDay>
{
    public void Configure(EntityTypeBuilder<AcknowledgementDay> b)
    {
        b.ToTable("acknowledgement_days");
        b.HasKey(t => new { t.CircularId, t.RevisionNumber, t.UnitId, t.Day });
    }
}

internal sealed class DeliveryTallyConfiguration : IEntityTypeConfiguration<DeliveryTally>
{
    public void Configure(EntityTypeBuilder<DeliveryTally> b)
    {
        b.ToTable("delivery_tallies");
        b.HasKey(t => new { t.CircularId, t.RevisionNumber, t.UnitId, t.Channel });
        b.Property(t => t.Channel).HasConversion<string>().HasMaxLength(10);
    }
}

/// <summary>The dashboard's own index on notifications, beside <see cref="NotificationConfiguration"/>'s.</summary>
internal sealed class NotificationFailuresIndexConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> b) =>
        b.HasIndex(n => new { n.CircularId, n.UnitId, n.Id, n.RevisionNumber })
            .HasFilter("state IN ('Failed', 'Bounced')")
            .HasDatabaseName("ix_notifications_failures");
}
