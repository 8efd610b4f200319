using Portal.Web.Features.Csaf;
using Portal.Web.Features.Evidence;
using Portal.Web.Features.VendorCases;
using Portal.Web.Features.Staleness;
using Portal.Web.Features.VendorMembership;
using Portal.Web.Features.Devices;
using Portal.Web.Infrastructure.Auth;
using Portal.Web.Infrastructure.Localization;
using Portal.Web.Infrastructure.Oidc;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Startup;
using Portal.Web.Infrastructure.Web;
using Portal.Web.Infrastructure.Telemetry;

// `Portal.Web migrate` applies migrations/, `Portal.Web seed` loads the demo organisation,
// anything else serves the portal. The web app itself never changes the schema.
return await PortalHost.RunAsync(args, builder => builder.Services
    .AddPortalOptions(builder.Configuration)
    .AddPortalCsaf(builder.Configuration)
    .AddPortalData(builder.Configuration)
    .AddPortalIdentity()
    .AddPortalApiPolicies()
    .AddPortalOidc(builder.Configuration)
    .AddPortalMediator()
    .AddPortalWeb()
    .AddPortalHostileInput()
    .AddPortalHardening(builder.Configuration)
    .AddPortalLocalization()
    .AddPortalNotifications(builder.Configuration)
    .AddPortalTelemetry(builder.Configuration)
    .AddPortalKeyRing(builder.Configuration, builder.Environment)
    .AddPortalEvidence(builder.Configuration)
    .AddPortalVendorCases(builder.Configuration)
    .AddPortalStaleness(builder.Configuration)
    .AddPortalVendorMembership()
    .AddPortalDevices(builder.Configuration));

public partial class Program;
