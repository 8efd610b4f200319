using Portal.Web.Features.Csaf;
using Portal.Web.Features.Devices;
using Portal.Web.Features.Evidence;
using Portal.Web.Features.Staleness;
using Portal.Web.Features.VendorCases;
using Portal.Web.Features.VendorMembership;
using Portal.Web.Infrastructure.Auth;
using Portal.Web.Infrastructure.Localization;
using Portal.Web.Infrastructure.Oidc;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Telemetry;
using Portal.Web.Infrastructure.Web;

namespace Portal.Web.Infrastructure.Startup;

public static class PortalServices
{
    /// <summary>
    /// Everything the portal registers, in one place: the app (Program.cs) and the benchmark harness, which builds
    /// the same services without serving, use this one list, so a feature added here is never missing there.
    /// </summary>
    public static IServiceCollection AddPortal(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment) => services
        .AddPortalOptions(configuration)
        .AddPortalCsaf(configuration)
        .AddPortalData(configuration)
        .AddPortalIdentity()
        .AddPortalApiPolicies()
        .AddPortalOidc(configuration)
        .AddPortalMediator()
        .AddPortalWeb()
        .AddPortalHostileInput()
        .AddPortalHardening(configuration)
        .AddPortalLocalization()
        .AddPortalNotifications(configuration)
        .AddPortalTelemetry(configuration)
        .AddPortalKeyRing(configuration, environment)
        .AddPortalEvidence(configuration)
        .AddPortalVendorCases(configuration)
        .AddPortalStaleness(configuration)
        .AddPortalVendorMembership()
        .AddPortalDevices(configuration);
}
