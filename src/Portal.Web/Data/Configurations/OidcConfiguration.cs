using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OpenIddict.EntityFrameworkCore.Models;
using Portal.Web.Domain;
using Portal.Web.Infrastructure.Oidc;

namespace Portal.Web.Data.Configurations;

internal sealed class ApiClientConfiguration : IEntityTypeConfiguration<ApiClient>
{
    public void Configure(EntityTypeBuilder<ApiClient> b)
    {
        b.ToTable("api_clients");
        b.Property(c => c.Id).ValueGeneratedNever();
        b.Property(c => c.ClientId).HasMaxLength(100);
        b.Property(c => c.Name).HasMaxLength(200);
        b.Property(c => c.Kind).HasConversion<string>().HasMaxLength(20);
        b.HasIndex(c => c.ClientId).IsUnique();
        b.HasIndex(c => c.VendorOrganisationId);
        b.HasOne(c => c.VendorOrganisation).WithMany().HasForeignKey(c => c.VendorOrganisationId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<PortalUser>().WithMany().HasForeignKey(c => c.CreatedById).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<PortalUser>().WithMany().HasForeignKey(c => c.RevokedById).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class OidcKeyConfiguration : IEntityTypeConfiguration<OidcKey>
{
    public void Configure(EntityTypeBuilder<OidcKey> b)
    {
        b.ToTable("oidc_keys");
        b.Property(k => k.Id).ValueGeneratedNever();
        b.Property(k => k.Use).HasConversion<string>().HasMaxLength(20);
    }
}

// OpenIddict's own entities (added by UseOpenIddict on the DbContext options) get plain table names
// instead of the open_iddict_* that snake-casing their class names would give.
internal sealed class OidcApplicationTable : IEntityTypeConfiguration<OpenIddictEntityFrameworkCoreApplication<Guid>>
{
    public void Configure(EntityTypeBuilder<OpenIddictEntityFrameworkCoreApplication<Guid>> b) => b.ToTable("openiddict_applications");
}

internal sealed class OidcAuthorizationTable : IEntityTypeConfiguration<OpenIddictEntityFrameworkCoreAuthorization<Guid>>
{
    public void Configure(EntityTypeBuilder<OpenIddictEntityFrameworkCoreAuthorization<Guid>> b)
    {
        b.ToTable("openiddict_authorizations");
        // The generated name is longer than PostgreSQL's 63 characters.
        b.HasOne(a => a.Application).WithMany(a => a.Authorizations).HasConstraintName("fk_openiddict_authorizations_application_id");
    }
}

internal sealed class OidcScopeTable : IEntityTypeConfiguration<OpenIddictEntityFrameworkCoreScope<Guid>>
{
    public void Configure(EntityTypeBuilder<OpenIddictEntityFrameworkCoreScope<Guid>> b) => b.ToTable("openiddict_scopes");
}

internal sealed class OidcTokenTable : IEntityTypeConfiguration<OpenIddictEntityFrameworkCoreToken<Guid>>
{
    public void Configure(EntityTypeBuilder<OpenIddictEntityFrameworkCoreToken<Guid>> b) => b.ToTable("openiddict_tokens");
}
