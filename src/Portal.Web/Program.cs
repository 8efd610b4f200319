using Portal.Web.Infrastructure.Startup;

// `Portal.Web migrate` applies migrations/, `Portal.Web seed` loads the demo organisation,
// anything else serves the portal. The web app itself never changes the schema.
return await PortalHost.RunAsync(args, builder => builder.Services.AddPortal(builder.Configuration, builder.Environment));

public partial class Program;
