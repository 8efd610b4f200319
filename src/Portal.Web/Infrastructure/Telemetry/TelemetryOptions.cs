using System.ComponentModel.DataAnnotations;

namespace Portal.Web.Infrastructure.Telemetry;

/// <summary>The "Portal:Telemetry" section.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Portal:Telemetry";

    /// <summary>An OpenTelemetry collector (OTLP over gRPC, e.g. http://collector:4317) for traces and metrics; the standard OTEL_EXPORTER_OTLP_ENDPOINT works too.</summary>
    [Url]
    public string? OtlpEndpoint { get; set; }

    /// <summary>
    /// The port of a second listener that serves only the Prometheus scrape endpoint /metrics. Without it
    /// there is no /metrics; on the main port /metrics is always 404, so the load balancer never exposes it.
    /// </summary>
    [Range(1, 65535)]
    public int? MetricsPort { get; set; }
}
