using System.ComponentModel.DataAnnotations;

namespace Portal.Web.Features.Notifications;

/// <summary>The "Portal:Dispatch" section: how the outbox of e-mail and SMS notifications is worked off.</summary>
public sealed class DispatchOptions
{
    public const string Section = "Portal:Dispatch";

    /// <summary>Runs the background loop; off in tests, which send <see cref="Dispatch.Command"/> themselves.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Attempts before a temporarily failing notification is given up as Failed.</summary>
    [Range(1, 50)]
    public int MaxAttempts { get; set; } = 6;

    /// <summary>The first retry waits this long; each further one twice as long as the one before.</summary>
    [Range(1, 86_400)]
    public int BaseDelaySeconds { get; set; } = 30;

    /// <summary>Notifications one <see cref="Dispatch.Command"/> works off at most.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 200;

    [Range(1, 3600)]
    public int IntervalSeconds { get; set; } = 10;

    /// <summary>/health/ready answers Degraded once the oldest due notification has waited longer than this.</summary>
    [Range(1, 10_080)]
    public int DegradedAfterMinutes { get; set; } = 30;

    /// <summary>Parallel workers of one instance, each with its own connection and transaction.</summary>
    [Range(1, 64)]
    public int Concurrency { get; set; } = 4;
}

/// <summary>The "Portal:Sms" section: an HTTP gateway that takes POST {"to", "text"}.</summary>
public sealed class SmsOptions
{
    public const string Section = "Portal:Sms";

    /// <summary>Without it no SMS is sent: SMS notifications fail with a message naming this setting.</summary>
    [Url]
    public string? GatewayUrl { get; set; }

    /// <summary>Sent as "Authorization: Bearer {ApiKey}".</summary>
    public string? ApiKey { get; set; }

    [Range(1, 300)]
    public int TimeoutSeconds { get; set; } = 15;
}
