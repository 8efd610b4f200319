using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Domain;

namespace Portal.Web.Data;

public sealed class PortalDbContext(DbContextOptions<PortalDbContext> options)
    : IdentityDbContext<PortalUser, PortalRole, Guid,
        IdentityUserClaim<Guid>, IdentityUserRole<Guid>, IdentityUserLogin<Guid>,
        IdentityRoleClaim<Guid>, IdentityUserToken<Guid>>(options)
{
    public DbSet<Unit> Units => Set<Unit>();
    public DbSet<VendorOrganisation> VendorOrganisations => Set<VendorOrganisation>();
    public DbSet<StaffMember> StaffMembers => Set<StaffMember>();
    public DbSet<Dependent> Dependents => Set<Dependent>();
    public DbSet<Circular> Circulars => Set<Circular>();
    public DbSet<CircularRevision> CircularRevisions => Set<CircularRevision>();
    public DbSet<CircularRule> CircularRules => Set<CircularRule>();
    public DbSet<CircularAudienceUnit> CircularAudienceUnits => Set<CircularAudienceUnit>();
    public DbSet<CircularSource> CircularSources => Set<CircularSource>();
    public DbSet<Manufacturer> Manufacturers => Set<Manufacturer>();
    public DbSet<DeviceModel> DeviceModels => Set<DeviceModel>();
    public DbSet<FirmwareVersion> FirmwareVersions => Set<FirmwareVersion>();
    public DbSet<Notification> Notifications => Set<Notification>();
    public DbSet<NotificationAttempt> NotificationAttempts => Set<NotificationAttempt>();
    public DbSet<AcknowledgementRequest> AcknowledgementRequests => Set<AcknowledgementRequest>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<ApiClient> ApiClients => Set<ApiClient>();
    public DbSet<Portal.Web.Infrastructure.Oidc.OidcKey> OidcKeys => Set<Portal.Web.Infrastructure.Oidc.OidcKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(PortalDbContext).Assembly);
        SnakeCaseNames.Apply(builder);
    }
}
