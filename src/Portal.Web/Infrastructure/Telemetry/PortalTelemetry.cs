using System.Diagnostics;
using System.Diagnostics.Metrics;
using Portal.Web.Domain;
using Portal.Web.Features.Notifications;

namespace Portal.Web.Infrastructure.Telemetry;

/// <summary>
/// The portal's own traces and metrics, named "Portal". Counters are process-wide, as the work they count
/// is: each instance reports what it did, and Prometheus or the OTLP collector adds the instances up.
/// The outbox gauges read the database instead (<see cref="OutboxGauges"/>), as every instance sees the same outbox.
/// </summary>
public static class PortalTelemetry
{
    public const string Name = "Portal";

    /// <summary>One span per use case (the logging behaviour starts it), so background rounds are traced and their log lines carry a TraceId.</summary>
    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    private static readonly Counter<long> Sent = Meter.CreateCounter<long>("portal.notifications.sent", "{notification}", "E-mail and SMS notifications the server accepted, by channel.");
    private static readonly Counter<long> Failed = Meter.CreateCounter<long>("portal.notifications.failed", "{notification}", "Notifications given up as Failed, by channel.");
    private static readonly Counter<long> Bounced = Meter.CreateCounter<long>("portal.notifications.bounced", "{notification}", "Notifications the server refused for good (5xx), by channel.");
    private static readonly Counter<long> Retried = Meter.CreateCounter<long>("portal.notifications.retried", "{notification}", "Attempts that failed for now and will be retried, by channel.");
    private static readonly Counter<long> Acknowledgements = Meter.CreateCounter<long>("portal.acknowledgements", "{acknowledgement}", "Acknowledgements recorded, by channel (Portal, FamilyLink); rate() * 60 gives acknowledgements per minute.");
    private static readonly Histogram<double> FanOutDuration = Meter.CreateHistogram<double>("portal.publication.fanout.duration", "s", "Time to create a publication's acknowledgement requests and notifications.");
    private static readonly Counter<long> FannedOut = Meter.CreateCounter<long>("portal.publication.notifications", "{notification}", "Notifications created by publications and amendments.");
    private static readonly Counter<long> ChaseRounds = Meter.CreateCounter<long>("portal.chase.rounds", "{round}", "Reminder and escalation rounds run, by kind.");

    public static void NotificationOutcome(NotificationChannel channel, SendOutcome outcome)
    {
        var tag = new KeyValuePair<string, object?>("channel", channel.ToString());
        switch (outcome)
        {
            case SendOutcome.Sent: Sent.Add(1, tag); break;
            case SendOutcome.Bounced: Bounced.Add(1, tag); break;
            case SendOutcome.Retry: Retried.Add(1, tag); break;
            default: Failed.Add(1, tag); break;
        }
    }

    public static void Acknowledged(string channel) => Acknowledgements.Add(1, new KeyValuePair<string, object?>("channel", channel));

    public static void FannedOutIn(TimeSpan elapsed, int notifications)
    {
        FanOutDuration.Record(elapsed.TotalSeconds);
        FannedOut.Add(notifications);
    }

    public static void ChaseRoundRan(string kind) => ChaseRounds.Add(1, new KeyValuePair<string, object?>("kind", kind));
}
