using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Web.Domain;

namespace Portal.Web.Data.Configurations;

internal sealed class EvidenceConfiguration : IEntityTypeConfiguration<EvidenceRecord>
{
    public void Configure(EntityTypeBuilder<EvidenceRecord> b)
    {
        b.ToTable("evidence");
        b.Property(e => e.Id).ValueGeneratedNever();
        b.Property(e => e.Title).HasMaxLength(200);
        b.Property(e => e.Lab).HasMaxLength(200);
        b.Property(e => e.DeviceTested).HasMaxLength(200);
        b.Property(e => e.FirmwareTested).HasMaxLength(100);
        b.Property(e => e.Method).HasMaxLength(4000);
        b.Property(e => e.SupersededReason).HasMaxLength(2000);
        b.Property(e => e.Version).HasColumnName("xmin").HasColumnType("xid").IsRowVersion();
        b.HasOne<Circular>().WithMany().HasForeignKey(e => e.CircularId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<PortalUser>().WithMany().HasForeignKey(e => e.RecordedById).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<PortalUser>().WithMany().HasForeignKey(e => e.SupersededById).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(e => e.Files).WithOne().HasForeignKey(f => f.EvidenceId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(e => e.Findings).WithOne().HasForeignKey(f => f.EvidenceId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(e => e.Files).HasField("_files");
        b.Navigation(e => e.Findings).HasField("_findings");
        b.Ignore(e => e.IsSuperseded);
    }
}

internal sealed class EvidenceFileConfiguration : IEntityTypeConfiguration<EvidenceFile>
{
    public void Configure(EntityTypeBuilder<EvidenceFile> b)
    {
        b.ToTable("evidence_files");
        b.Property(f => f.Id).ValueGeneratedNever();
        b.Property(f => f.FileName).HasMaxLength(200);
        b.Property(f => f.Sha256).HasMaxLength(64).IsFixedLength();
        b.Property(f => f.ContentType).HasMaxLength(100);
        b.HasIndex(f => new { f.EvidenceId, f.Sha256 }).IsUnique();
        b.HasIndex(f => f.Sha256);
        b.HasOne<PortalUser>().WithMany().HasForeignKey(f => f.UploadedById).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class FindingConfiguration : IEntityTypeConfiguration<Finding>
{
    public void Configure(EntityTypeBuilder<Finding> b)
    {
        b.ToTable("evidence_findings");
        b.Property(f => f.Id).ValueGeneratedNever();
        b.Property(f => f.Category).HasConversion<string>().HasMaxLength(20);
        b.Property(f => f.Host).HasMaxLength(253);
        b.Property(f => f.IpAddress).HasMaxLength(45);
        b.Property(f => f.Country).HasMaxLength(2).IsFixedLength();
        b.Property(f => f.Protocol).HasMaxLength(40);
    }
}

internal sealed class CitedEvidenceConfiguration : IEntityTypeConfiguration<CitedEvidence>
{
    public void Configure(EntityTypeBuilder<CitedEvidence> b)
    {
        b.ToTable("cited_evidence");
        b.HasKey(c => new { c.RevisionId, c.EvidenceId });
        b.HasOne<CircularRevision>().WithMany().HasForeignKey(c => c.RevisionId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<EvidenceRecord>().WithMany().HasForeignKey(c => c.EvidenceId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(c => c.EvidenceId);
    }
}
