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
    public DbSet<EvidenceRecord> Evidence => Set<EvidenceRecord>();
    public DbSet<EvidenceFile> EvidenceFiles => Set<EvidenceFile>();
    public DbSet<Finding> Findings => Set<Finding>();
    public DbSet<CitedEvidence> CitedEvidence => Set<CitedEvidence>();
    public DbSet<VendorCase> VendorCases => Set<VendorCase>();
    public DbSet<CaseModel> VendorCaseModels => Set<CaseModel>();
    public DbSet<CaseStatement> CaseStatements => Set<CaseStatement>();
    public DbSet<RemediationClaim> RemediationClaims => Set<RemediationClaim>();
    public DbSet<ClaimFile> ClaimFiles => Set<ClaimFile>();
    public DbSet<CaseMessage> CaseMessages => Set<CaseMessage>();
    public DbSet<CaseEvent> CaseEvents => Set<CaseEvent>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<ApiClient> ApiClients => Set<ApiClient>();
    public DbSet<Portal.Web.Infrastructure.Oidc.OidcKey> OidcKeys => Set<Portal.Web.Infrastructure.Oidc.OidcKey>();
    public DbSet<Device> Devices => Set<Device>();
    public DbSet<ComplianceFinding> ComplianceFindings => Set<ComplianceFinding>();
    public DbSet<DeviceImport> DeviceImports => Set<DeviceImport>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        // The naming convention names a foreign key after its principal's table as the table is named when
        // the key is added, so Identity's tables get their names before anything refers to them.
        var assembly = typeof(PortalDbContext).Assembly;
        builder.ApplyConfigurationsFromAssembly(assembly, IsIdentityConfiguration);
        builder.ApplyConfigurationsFromAssembly(assembly, type => !IsIdentityConfiguration(type));
        Configurations.SearchColumn.MapFunctions(builder);
    }

    private static bool IsIdentityConfiguration(Type type) => type.IsAssignableTo(typeof(Configurations.IIdentityConfiguration));

    /// <summary>
    /// Every table, column, key, index and foreign key named in snake_case, so the hand-written SQL in
    /// migrations/ reads like ordinary PostgreSQL (no quoted identifiers). Here rather than at registration
    /// so every way of building the context names things the same (docs/decisions/0014-naming-conventions.md). The app's
    /// registration applies it once to its shared options (<see cref="Configure"/>), which are then left as they are:
    /// adding it again would copy the options on every construction (docs/decisions/0065-what-an-acknowledgement-costs.md).
    /// </summary>
    protected override void OnConfiguring(DbContextOptionsBuilder options)
    {
        if (options.Options.FindExtension<EFCore.NamingConventions.Internal.NamingConventionsOptionsExtension>() is null)
            Configure(options);
    }

    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options) => options.UseSnakeCaseNamingConvention();
}
