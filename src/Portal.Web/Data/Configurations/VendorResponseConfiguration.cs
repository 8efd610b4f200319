using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Web.Domain;

namespace Portal.Web.Data.Configurations;

internal sealed class CaseStatementConfiguration : IEntityTypeConfiguration<CaseStatement>
{
    public void Configure(EntityTypeBuilder<CaseStatement> b)
    {
        b.ToTable("vendor_case_statements");
        b.Property(s => s.Id).ValueGeneratedNever();
        b.Property(s => s.Text).HasMaxLength(8000);
        b.HasIndex(s => s.CaseId);
        b.HasOne<VendorCase>().WithMany().HasForeignKey(s => s.CaseId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<PortalUser>().WithMany().HasForeignKey(s => s.PostedById).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class RemediationClaimConfiguration : IEntityTypeConfiguration<RemediationClaim>
{
    public void Configure(EntityTypeBuilder<RemediationClaim> b)
    {
        b.ToTable("remediation_claims");
        b.Property(c => c.Id).ValueGeneratedNever();
        b.Property(c => c.Kind).HasConversion<string>().HasMaxLength(30);
        b.Property(c => c.Status).HasConversion<string>().HasMaxLength(30);
        b.Property(c => c.Description).HasMaxLength(4000);
        b.Property(c => c.FirmwareVersion).HasMaxLength(100);
        b.Property(c => c.Link).HasMaxLength(2000);
        b.Property(c => c.RelocatedFrom).HasMaxLength(2).IsFixedLength();
        b.Property(c => c.RelocatedTo).HasMaxLength(2).IsFixedLength();
        b.Property(c => c.ReviewNote).HasMaxLength(4000);
        b.Property(c => c.Version).HasColumnName("xmin").HasColumnType("xid").IsRowVersion();
        b.HasIndex(c => c.CaseId);
        b.HasIndex(c => c.CaseId, "OpenClaims").HasDatabaseName("ix_remediation_claims_open").HasFilter("status IN ('Submitted', 'PendingVerification')");
        b.HasOne<VendorCase>().WithMany().HasForeignKey(c => c.CaseId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<DeviceModel>().WithMany().HasForeignKey(c => c.DeviceModelId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<EvidenceRecord>().WithMany().HasForeignKey(c => c.RetestEvidenceId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<PortalUser>().WithMany().HasForeignKey(c => c.SubmittedById).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<PortalUser>().WithMany().HasForeignKey(c => c.ReviewedById).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<PortalUser>().WithMany().HasForeignKey(c => c.RetestRecordedById).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<PortalUser>().WithMany().HasForeignKey(c => c.VerifiedById).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(c => c.Files).WithOne().HasForeignKey(f => f.ClaimId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(c => c.Files).HasField("_files");
    }
}

internal sealed class ClaimFileConfiguration : IEntityTypeConfiguration<ClaimFile>
{
    public void Configure(EntityTypeBuilder<ClaimFile> b)
    {
        b.ToTable("remediation_claim_files");
        b.Property(f => f.Id).ValueGeneratedNever();
        b.Property(f => f.FileName).HasMaxLength(200);
        b.Property(f => f.Sha256).HasMaxLength(64).IsFixedLength();
        b.Property(f => f.ContentType).HasMaxLength(100);
        b.HasIndex(f => new { f.ClaimId, f.Sha256 }).IsUnique();
        b.HasOne<PortalUser>().WithMany().HasForeignKey(f => f.UploadedById).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class CaseMessageConfiguration : IEntityTypeConfiguration<CaseMessage>
{
    public void Configure(EntityTypeBuilder<CaseMessage> b)
    {
        b.ToTable("vendor_case_messages");
        b.Property(m => m.Id).ValueGeneratedNever();
        b.Property(m => m.Body).HasMaxLength(8000);
        b.HasIndex(m => m.CaseId);
        b.HasOne<VendorCase>().WithMany().HasForeignKey(m => m.CaseId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<PortalUser>().WithMany().HasForeignKey(m => m.AuthorId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class CaseEventConfiguration : IEntityTypeConfiguration<CaseEvent>
{
    public void Configure(EntityTypeBuilder<CaseEvent> b)
    {
        b.ToTable("vendor_case_events");
        b.Property(e => e.Id).ValueGeneratedNever();
        b.Property(e => e.Kind).HasConversion<string>().HasMaxLength(30);
        b.Property(e => e.Summary).HasMaxLength(400);
        b.HasIndex(e => e.CaseId);
        b.HasIndex(e => new { e.CircularId, e.OccurredAt });
        b.HasIndex(e => e.CircularId, "Unconsidered").HasDatabaseName("ix_vendor_case_events_unconsidered").HasFilter("makes_stale AND considered_in_revision IS NULL");
        b.HasOne<VendorCase>().WithMany().HasForeignKey(e => e.CaseId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Circular>().WithMany().HasForeignKey(e => e.CircularId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<PortalUser>().WithMany().HasForeignKey(e => e.ById).OnDelete(DeleteBehavior.Restrict);
    }
}
