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

    /// <summary>
    /// A role (e.g. Auditor or Administrator) whose signed-in users may also read /metrics on the main port, for a
    /// scraper that signs in rather than reaching a firewalled port. Anyone else is refused as the app refuses a
    /// route of another role (403; sign in first when anonymous). Without it, /metrics on the main port is 404.
    /// </summary>
    [AllowedValues(null, Domain.Roles.Administrator, Domain.Roles.SecurityOfficer, Domain.Roles.Approver, Domain.Roles.UnitCommander,
        Domain.Roles.Staff, Domain.Roles.Vendor, Domain.Roles.Auditor, ErrorMessage = "Portal:Telemetry:MetricsRole must name one of the portal's roles.")]
    public string? MetricsRole { get; set; }

    public bool ServesMetrics => MetricsPort is not null || !string.IsNullOrWhiteSpace(MetricsRole);
}
