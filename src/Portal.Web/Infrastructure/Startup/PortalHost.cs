using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;
using Portal.Web.Data;
using Portal.Web.Infrastructure.Auth;
using Portal.Web.Infrastructure.Localization;
using Portal.Web.Infrastructure.Oidc;
using Portal.Web.Infrastructure.Telemetry;
using Portal.Web.Infrastructure.Web;

namespace Portal.Web.Infrastructure.Startup;

public static class PortalHost
{
    public static async Task<int> RunAsync(string[] args, Action<WebApplicationBuilder> configure)
    {
        try
        {
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions
            {
                Args = args,
                // wwwroot sits at the repository's top level and is copied beside the binaries.
                WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
            });
            configure(builder);
            // Evidence uploads are long streams: receive each 4 KB block without first asking the socket whether data
            // is there (one system call per block instead of two); an idle connection holds one block (decision 0055).
            builder.WebHost.UseSockets(sockets => sockets.WaitForDataBeforeAllocatingBuffer = false);
            builder.ListenOnMetricsPort();
            var app = builder.Build();
            UsePortalPipeline(app);

            var command = args.Length > 0 && !args[0].StartsWith('-') && !args[0].Contains('=', StringComparison.Ordinal) ? args[0] : null;
            switch (command)
            {
                case "migrate":
                    await EnsureDatabaseReachableAsync(app.Services);
                    await using (var scope = app.Services.CreateAsyncScope())
                    {
                        var applied = await scope.ServiceProvider.GetRequiredService<Migrator>().ApplyAsync(Migrator.DefaultDirectory);
                        Console.WriteLine(applied.Count == 0 ? "Schema is up to date." : $"Applied {applied.Count} migration(s): {string.Join(", ", applied)}");
                    }
                    return 0;
                case "seed":
                    await EnsureDatabaseReachableAsync(app.Services);
                    await using (var scope = app.Services.CreateAsyncScope())
                        await scope.ServiceProvider.GetRequiredService<DemoData>().LoadAsync();
                    Console.WriteLine("Demo organisation loaded.");
                    return 0;
                case "rotate-keys":
                    // New token signing and encryption keys, valid after the hours given (default 0); see the README.
                    await EnsureDatabaseReachableAsync(app.Services);
                    await using (var scope = app.Services.CreateAsyncScope())
                    {
                        var hours = args.Length > 1 && int.TryParse(args[1], out var h) && h >= 0 ? h : 0;
                        var keys = await scope.ServiceProvider.GetRequiredService<Portal.Web.Infrastructure.Oidc.OidcKeyStore>().RotateAsync(TimeSpan.FromHours(hours));
                        foreach (var key in keys)
                            Console.WriteLine($"{key.Use} key {key.Id:N}: valid {key.NotBefore:u} to {key.NotAfter:u}");
                    }
                    return 0;
                case "rebuild-tallies":
                    // After a TRUNCATE or a partial restore, which the tally triggers do not see.
                    await EnsureDatabaseReachableAsync(app.Services);
                    await using (var scope = app.Services.CreateAsyncScope())
                        await scope.ServiceProvider.GetRequiredService<Mediator.IMediator>().Send(new Features.Dashboards.RebuildTallies.Command());
                    Console.WriteLine("Dashboard tallies recounted.");
                    return 0;
                case "model-sql":
                    // A starting point for the next hand-written migration: the DDL EF would create for the model.
                    await using (var scope = app.Services.CreateAsyncScope())
                        Console.WriteLine(Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.GenerateCreateScript(
                            scope.ServiceProvider.GetRequiredService<PortalDbContext>().Database));
                    return 0;
                case null:
                    _ = app.Services.GetRequiredService<IOptions<PortalOptions>>().Value;
                    await EnsureDatabaseReachableAsync(app.Services);
                    await app.RunAsync();
                    return 0;
                default:
                    throw new StartupException($"Unknown command '{command}'. Use 'migrate', 'seed', 'rotate-keys', 'rebuild-tallies', 'model-sql' or no command to serve.");
            }
        }
        catch (StartupException ex)
        {
            await Console.Error.WriteLineAsync($"portal: {ex.Message}");
            return 1;
        }
        catch (OptionsValidationException ex)
        {
            await Console.Error.WriteLineAsync($"portal: invalid configuration: {string.Join("; ", ex.Failures)}");
            return 1;
        }
    }

    private static void UsePortalPipeline(WebApplication app)
    {
        app.UsePortalForwardedHeaders();
        app.UsePortalMetrics();
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandlingPath = "/error",
            // A request the server could not read (malformed, too large) or an object that is not there is the
            // client's 4xx, answered by the error page: no error and stack trace in the log for each one.
            SuppressDiagnosticsCallback = context => HostileInput.StatusFor(context.Exception) is < 500,
        });
        app.UseStatusCodePagesWithReExecute("/error/{0}");
        app.UsePortalSecurityHeaders();
        app.UseStaticFiles();
        app.UseRouting();
        app.UsePortalRequestLimits();
        app.UseAuthentication();
        app.UsePortalApiCallers();
        // The one UseRateLimiter, after the API caller is known (per-client limits); every feature registers
        // its policies with services.AddRateLimiter (they compose).
        app.UseRateLimiter();
        app.UsePortalLocalization();
        app.UseMiddleware<TwoFactorEnrolmentMiddleware>();
        app.UseAuthorization();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = TelemetryRegistration.WriteHealthJson }).AllowAnonymous();
        app.MapControllers();
        app.MapPortalApiDocs();
    }

    private static async Task EnsureDatabaseReachableAsync(IServiceProvider services)
    {
        var dataSource = services.GetRequiredService<NpgsqlDataSource>();
        var target = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync();
        }
        catch (Exception ex) when (ex is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            throw new StartupException($"cannot reach the database {target.Database} at {target.Host}:{target.Port}: {ex.Message}", ex);
        }
    }
}
