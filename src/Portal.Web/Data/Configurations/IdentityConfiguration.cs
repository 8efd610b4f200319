using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Portal.Web.Domain;

namespace Portal.Web.Data.Configurations;

/// <summary>The configurations of Identity's tables, applied before the others (see <see cref="PortalDbContext"/>).</summary>
internal interface IIdentityConfiguration;

internal sealed class PortalUserConfiguration : IEntityTypeConfiguration<PortalUser>, IIdentityConfiguration
{
    public void Configure(EntityTypeBuilder<PortalUser> b)
    {
        b.ToTable("users");
        // Identity names its indexes itself, in PascalCase; the naming convention keeps names given explicitly.
        b.HasIndex(u => u.NormalizedEmail).HasDatabaseName("email_index");
        b.HasIndex(u => u.NormalizedUserName).HasDatabaseName("user_name_index");
        b.Property(u => u.DisplayName).HasMaxLength(200);
        b.Property(u => u.Language).HasMaxLength(10).HasDefaultValue("en");
        b.HasOne(u => u.Unit).WithMany().HasForeignKey(u => u.UnitId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(u => u.VendorOrganisation).WithMany().HasForeignKey(u => u.VendorOrganisationId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(u => u.UnitId);
        b.HasIndex(u => u.VendorOrganisationId);
    }
}

internal sealed class PortalRoleConfiguration : IEntityTypeConfiguration<PortalRole>, IIdentityConfiguration
{
    public void Configure(EntityTypeBuilder<PortalRole> b)
    {
        b.ToTable("roles");
        b.HasIndex(r => r.NormalizedName).HasDatabaseName("role_name_index");
    }
}

internal sealed class UserRoleConfiguration : IEntityTypeConfiguration<IdentityUserRole<Guid>>, IIdentityConfiguration
{
    public void Configure(EntityTypeBuilder<IdentityUserRole<Guid>> b) => b.ToTable("user_roles");
}

internal sealed class UserClaimConfiguration : IEntityTypeConfiguration<IdentityUserClaim<Guid>>, IIdentityConfiguration
{
    public void Configure(EntityTypeBuilder<IdentityUserClaim<Guid>> b) => b.ToTable("user_claims");
}

internal sealed class UserLoginConfiguration : IEntityTypeConfiguration<IdentityUserLogin<Guid>>, IIdentityConfiguration
{
    public void Configure(EntityTypeBuilder<IdentityUserLogin<Guid>> b) => b.ToTable("user_logins");
}

internal sealed class UserTokenConfiguration : IEntityTypeConfiguration<IdentityUserToken<Guid>>, IIdentityConfiguration
{
    public void Configure(EntityTypeBuilder<IdentityUserToken<Guid>> b) => b.ToTable("user_tokens");
}

internal sealed class RoleClaimConfiguration : IEntityTypeConfiguration<IdentityRoleClaim<Guid>>, IIdentityConfiguration
{
    public void Configure(EntityTypeBuilder<IdentityRoleClaim<Guid>> b) => b.ToTable("role_claims");
}
