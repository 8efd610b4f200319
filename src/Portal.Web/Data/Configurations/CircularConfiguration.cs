using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query.SqlExpressions;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using NpgsqlTypes;
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
        b.ComplexProperty(c => c.Text, CircularTextMapping.Map);
        b.Property(c => c.Version).HasColumnName("xmin").HasColumnType("xid").IsRowVersion();
        b.HasIndex(c => c.ReferenceNumber).IsUnique();
        b.HasIndex(c => new { c.Status, c.UpdatedAt });
        b.HasOne<PortalUser>().WithMany().HasForeignKey(c => c.CreatedById).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<PortalUser>().WithMany().HasForeignKey(c => c.UpdatedById).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<PortalUser>().WithMany().HasForeignKey(c => c.SubmittedById).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<PortalUser>().WithMany().HasForeignKey(c => c.ApprovedById).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<PortalUser>().WithMany().HasForeignKey(c => c.ReturnedById).OnDelete(DeleteBehavior.Restrict);
        b.Property(c => c.Amendment).HasConversion<string>().HasMaxLength(20);
        b.Property(c => c.ChangeKind).HasConversion<string>().HasMaxLength(20);
        b.Property(c => c.ChangeSummary).HasMaxLength(2000);
        b.Property(c => c.ReturnReason).HasMaxLength(2000);
        b.Property(c => c.ClosingReason).HasMaxLength(2000);
        b.HasIndex(c => c.ScheduledPublishAt).HasFilter("status = 'Scheduled'");
        b.HasOne(c => c.CurrentRevision).WithOne().HasForeignKey<Circular>(c => c.CurrentRevisionId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Circular>().WithMany().HasForeignKey(c => c.SupersededById).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(c => c.Rules).WithOne().HasForeignKey(r => r.CircularId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(c => c.Audience).WithOne().HasForeignKey(a => a.CircularId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(c => c.Sources).WithOne().HasForeignKey(s => s.CircularId).OnDelete(DeleteBehavior.Cascade);
        b.Navigation(c => c.Rules).HasField("_rules");
        b.Navigation(c => c.Audience).HasField("_audience");
        b.Navigation(c => c.Sources).HasField("_sources");
        SearchColumn.Map(b, "coalesce(reference_number, '')");
    }
}

internal sealed class CircularRuleConfiguration : IEntityTypeConfiguration<CircularRule>
{
    public void Configure(EntityTypeBuilder<CircularRule> b)
    {
        b.ToTable("circular_rules");
        // Ids are made in the domain; entities reached through a navigation must be inserted, not updated.
        b.Property(r => r.Id).ValueGeneratedNever();
        b.Property(r => r.ModelPattern).HasMaxLength(100);
        b.Property(r => r.FirmwareBelow).HasMaxLength(100);
        b.Property(r => r.Note).HasMaxLength(2000);
        b.Property(r => r.Action).HasConversion<string>().HasMaxLength(20);
        b.HasIndex(r => new { r.CircularId, r.Position }).IsUnique();
        b.HasIndex(r => r.ManufacturerId);
        b.HasIndex(r => r.DeviceModelId);
        b.HasOne<Manufacturer>().WithMany().HasForeignKey(r => r.ManufacturerId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<DeviceModel>().WithMany().HasForeignKey(r => r.DeviceModelId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class CircularAudienceUnitConfiguration : IEntityTypeConfiguration<CircularAudienceUnit>
{
    public void Configure(EntityTypeBuilder<CircularAudienceUnit> b)
    {
        b.ToTable("circular_audience_units");
        b.HasKey(a => new { a.CircularId, a.UnitId });
        b.HasIndex(a => a.UnitId);
        b.HasOne<Unit>().WithMany().HasForeignKey(a => a.UnitId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class CircularSourceConfiguration : IEntityTypeConfiguration<CircularSource>
{
    public void Configure(EntityTypeBuilder<CircularSource> b)
    {
        b.ToTable("circular_sources");
        // Ids are made in the domain; entities reached through a navigation must be inserted, not updated.
        b.Property(s => s.Id).ValueGeneratedNever();
        b.Property(s => s.Kind).HasConversion<string>().HasMaxLength(30);
        b.Property(s => s.Identifier).HasMaxLength(200);
        b.Property(s => s.Title).HasMaxLength(500);
        b.Property(s => s.Url).HasMaxLength(2000);
        b.HasIndex(s => s.CircularId);
    }
}

internal sealed class CircularRevisionConfiguration : IEntityTypeConfiguration<CircularRevision>
{
    public void Configure(EntityTypeBuilder<CircularRevision> b)
    {
        b.ToTable("circular_revisions");
        // Ids are made in the domain; entities reached through a navigation must be inserted, not updated.
        b.Property(r => r.Id).ValueGeneratedNever();
        b.Property(r => r.Kind).HasConversion<string>().HasMaxLength(20);
        b.Property(r => r.ReferenceNumber).HasMaxLength(40);
        b.ComplexProperty(r => r.Text, CircularTextMapping.Map);
        b.Property(r => r.ChangeSummary).HasMaxLength(2000);
        b.Property(r => r.Rules).HasColumnType("jsonb").HasConversion(Json<List<RuleSnapshot>>.Converter, Json<List<RuleSnapshot>>.Comparer);
        b.Property(r => r.Sources).HasColumnType("jsonb").HasConversion(Json<List<SourceSnapshot>>.Converter, Json<List<SourceSnapshot>>.Comparer);
        b.HasIndex(r => new { r.CircularId, r.Number }).IsUnique();
        b.HasIndex(r => r.PublishedAt);
        b.HasIndex(r => r.AudienceUnitIds).HasMethod("gin");
        b.HasIndex(r => r.ManufacturerIds).HasMethod("gin");
        SearchColumn.Map(b, "reference_number");
        b.HasOne<Circular>().WithMany().HasForeignKey(r => r.CircularId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<PortalUser>().WithMany().HasForeignKey(r => r.SubmittedById).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<PortalUser>().WithMany().HasForeignKey(r => r.ApprovedById).OnDelete(DeleteBehavior.Restrict);
    }
}

/// <summary>
/// The circular's text on the working copy's and the revisions' own columns: a complex type's columns would be
/// prefixed with its name (<c>text_title</c>); these keep the names the tables always had.
/// </summary>
internal static class CircularTextMapping
{
    public static void Map(ComplexPropertyBuilder<CircularText> t)
    {
        t.IsRequired();
        t.Property(x => x.Title).HasColumnName("title").HasMaxLength(CircularConfiguration.TitleMax);
        t.Property(x => x.Severity).HasColumnName("severity").HasConversion<string>().HasMaxLength(20);
        t.Property(x => x.Tlp).HasColumnName("tlp").HasConversion<string>().HasMaxLength(20);
        t.Property(x => x.Summary).HasColumnName("summary");
        t.Property(x => x.Background).HasColumnName("background");
        t.Property(x => x.RiskAssessment).HasColumnName("risk_assessment");
        t.Property(x => x.Impact).HasColumnName("impact");
        t.Property(x => x.RequiredActions).HasColumnName("required_actions");
        t.Property(x => x.References).HasColumnName("references");
        t.Property(x => x.AcknowledgementDeadline).HasColumnName("acknowledgement_deadline");
        t.Property(x => x.IncludeFamilies).HasColumnName("include_families");
        t.Property(x => x.FamilySummary).HasColumnName("family_summary");
        // Always written (empty when there are none); null only in a read model for someone who may not see them.
        t.Property(x => x.InternalNotes).HasColumnName("internal_notes").IsRequired();
        t.Property(x => x.HindiTitle).HasColumnName("hindi_title").HasMaxLength(CircularConfiguration.TitleMax);
        t.Property(x => x.HindiFamilySummary).HasColumnName("hindi_family_summary");
        t.Property(x => x.HindiRequiredActions).HasColumnName("hindi_required_actions");
    }
}

/// <summary>
/// The full-text column (migrations/0003_search.sql): a shadow property, so the domain stays free of
/// search types; queries reach it with <c>EF.Property&lt;NpgsqlTsVector&gt;(entity, SearchColumn.Name)</c>.
/// Internal notes are left out on purpose: nothing found, ranked or quoted may come from them. The Hindi title, required
/// actions and family summary are in it (migrations/0024_hindi_search.sql), in Unicode form NFC like the query.
/// </summary>
internal static class SearchColumn
{
    public const string Name = "SearchVector";
    public const string Config = "english";

    public static void Map<T>(EntityTypeBuilder<T> b, string referenceNumber) where T : class
    {
        b.Property<NpgsqlTsVector>(Name).IsRequired().HasComputedColumnSql(
            $"setweight(to_tsvector('{Config}'::regconfig, normalize({referenceNumber} || ' ' || title || ' ' || hindi_title, NFC)), 'A') "
            + $"|| setweight(to_tsvector('{Config}'::regconfig, normalize(summary, NFC)), 'B') "
            + $"|| setweight(to_tsvector('{Config}'::regconfig, normalize(background || ' ' || risk_assessment || ' ' || impact || ' ' "
            + "|| required_actions || ' ' || \"references\" || ' ' || family_summary || ' ' || hindi_required_actions || ' ' "
            + "|| hindi_family_summary, NFC)), 'C')", stored: true);
        b.HasIndex(Name).HasMethod("gin");
    }

    /// <summary>PostgreSQL's <c>normalize(text, NFC)</c>: the search quotes the text in the form its column indexed it.</summary>
    public static string Nfc(string text) => throw new NotSupportedException("Only in queries.");

    public static void MapFunctions(ModelBuilder builder) =>
        builder.HasDbFunction(typeof(SearchColumn).GetMethod(nameof(Nfc))!).HasTranslation(args => new SqlFunctionExpression(
            "normalize", [args[0], new SqlFragmentExpression("NFC")], nullable: true, argumentsPropagateNullability: [true, false],
            typeof(string), args[0].TypeMapping));
}

/// <summary>Snapshots stored as jsonb: written once, read whole, never queried inside.</summary>
internal static class Json<T> where T : class
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    public static readonly ValueConverter<T, string> Converter = new(
        v => JsonSerializer.Serialize(v, Options),
        s => JsonSerializer.Deserialize<T>(s, Options)!);

    public static readonly ValueComparer<T> Comparer = new(
        (a, b) => JsonSerializer.Serialize(a, Options) == JsonSerializer.Serialize(b, Options),
        v => JsonSerializer.Serialize(v, Options).GetHashCode(StringComparison.Ordinal),
        v => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(v, Options), Options)!);
}
