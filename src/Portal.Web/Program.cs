using Portal.Web.Features.Csaf;
using Portal.Web.Infrastructure.Auth;
using Portal.Web.Infrastructure.Oidc;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Startup;
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
    .AddPortalNotifications(builder.Configuration)
    .AddPortalTelemetry(builder.Configuration)
    .AddPortalKeyRing(builder.Configuration, builder.Environment));

public partial class Program;
