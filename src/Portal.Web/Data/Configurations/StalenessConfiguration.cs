using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Web.Domain;

namespace Portal.Web.Data.Configurations;

internal sealed class RevisionCaseRecordConfiguration : IEntityTypeConfiguration<RevisionCaseRecord>
{
    public void Configure(EntityTypeBuilder<RevisionCaseRecord> b)
    {
        b.ToTable("revision_case_records");
        b.HasKey(r => r.RevisionId);
        b.Property(r => r.RevisionId).ValueGeneratedNever();
        b.Property(r => r.Data).HasColumnType("jsonb");
        b.HasOne<CircularRevision>().WithOne().HasForeignKey<RevisionCaseRecord>(r => r.RevisionId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class StaleDigestRoundConfiguration : IEntityTypeConfiguration<StaleDigestRound>
{
    public void Configure(EntityTypeBuilder<StaleDigestRound> b)
    {
        b.ToTable("stale_digest_rounds");
        b.HasKey(r => r.Day);
        b.Property(r => r.Day).ValueGeneratedNever();
    }
}
