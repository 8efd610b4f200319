using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Portal.Web.Infrastructure.Telemetry;

/// <summary>OpenTelemetry traces and metrics, the metrics port, and the dispatcher's backlog in /health/ready (docs/decisions/0080-observability.md).</summary>
public static class TelemetryRegistration
{
    public static IServiceCollection AddPortalTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TelemetryOptions>().Bind(configuration.GetSection(TelemetryOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        var options = configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();

        // Log scopes carry the current span, so the JSON console lines of one request or one dispatch round share a TraceId.
        services.Configure<LoggerFactoryOptions>(o => o.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);

        var otlp = options.OtlpEndpoint is { Length: > 0 } endpoint && Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) ? uri : null;
        var exporting = otlp is not null || !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("advisory-portal", serviceInstanceId: Environment.MachineName + ":" + Environment.ProcessId));
        // The portal's own spans (one per use case or background round, which the log lines' TraceId follows) always;
        // the per-request and per-statement instrumentation only when spans go somewhere: with no exporter every
        // request paid for recording and tagging spans of each of its statements that nobody read
        // (docs/decisions/0061-acknowledgement-storm-and-dashboards-at-full-scale.md).
        telemetry.WithTracing(tracing =>
        {
            tracing.AddSource(PortalTelemetry.Name);
            if (exporting)
                tracing
                    .AddAspNetCoreInstrumentation(o => o.Filter = c => !c.Request.Path.StartsWithSegments("/health") && !c.Request.Path.StartsWithSegments("/metrics"))
                    .AddHttpClientInstrumentation()
                    .AddNpgsql();
        });
        telemetry.WithMetrics(metrics =>
            {
                metrics.AddMeter(PortalTelemetry.Name)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddNpgsqlInstrumentation();
                if (options.ServesMetrics)
                    metrics.AddPrometheusExporter();
            });
        if (otlp is not null)
            telemetry.UseOtlpExporter(OtlpExportProtocol.Grpc, otlp);
        else if (!string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
            telemetry.UseOtlpExporter();

        services.AddSingleton<OutboxBacklog>();
        services.AddHostedService<OutboxGauges>();
        services.AddHealthChecks().AddCheck<DispatchBacklogHealthCheck>("dispatch", tags: ["ready"]);
        return services;
    }

    /// <summary>
    /// Adds the metrics port to the addresses the app listens on (urls, ASPNETCORE_URLS or --urls; else
    /// HTTP_PORTS; else Kestrel's default), as a code-defined Kestrel endpoint would silently replace them.
    /// </summary>
    public static void ListenOnMetricsPort(this WebApplicationBuilder builder)
    {
        var port = builder.Configuration.GetSection(TelemetryOptions.Section).GetValue<int?>(nameof(TelemetryOptions.MetricsPort));
        if (port is not (> 0 and <= 65535))
            return;
        var urls = builder.Configuration[WebHostDefaults.ServerUrlsKey];
        if (string.IsNullOrWhiteSpace(urls) && builder.Configuration["HTTP_PORTS"] is { Length: > 0 } httpPorts)
            urls = string.Join(';', httpPorts.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => $"http://*:{p}"));
        if (string.IsNullOrWhiteSpace(urls))
            urls = "http://localhost:5000";
        builder.WebHost.UseUrls($"{urls};http://*:{port.Value.ToString(CultureInfo.InvariantCulture)}");
    }

    /// <summary>
    /// The metrics port answers /metrics and nothing else; every other port answers /metrics with 404, so
    /// neither the scrape nor the portal leaks through the other's door, unless a metrics role is configured:
    /// then /metrics on the main port is an endpoint for signed-in users of that role. Comes first in the pipeline.
    /// </summary>
    public static void UsePortalMetrics(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<TelemetryOptions>>().Value;
        var port = options.MetricsPort;
        var role = string.IsNullOrWhiteSpace(options.MetricsRole) ? null : options.MetricsRole;
        app.Use((context, next) =>
        {
            var onMetricsPort = port is { } p && context.Connection.LocalPort == p;
            var forMetrics = context.Request.Path.StartsWithSegments("/metrics");
            if (onMetricsPort ? !forMetrics : forMetrics && role is null)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }
            return next(context);
        });
        if (port is not null)
            app.UseOpenTelemetryPrometheusScrapingEndpoint(context => context.Connection.LocalPort == port);
        if (role is not null)
            app.MapPrometheusScrapingEndpoint("/metrics").RequireAuthorization(policy => policy.RequireRole(role));
    }

    /// <summary>/health/ready as JSON: the overall status and each check's status and description (the database, the dispatcher's backlog).</summary>
    public static Task WriteHealthJson(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.Select(e => new { name = e.Key, status = e.Value.Status.ToString(), description = e.Value.Description, data = e.Value.Data }),
        }));
    }
}
