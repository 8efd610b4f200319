using System.ComponentModel.DataAnnotations;

namespace Portal.Web.Infrastructure.Startup;

/// <summary>The "Portal" configuration section; validated at start so a bad setting stops the app with one clear line.</summary>
public sealed class PortalOptions
{
    public const string Section = "Portal";

    [Required, Url]
    public string BaseUrl { get; set; } = "http://localhost:5080";

    [Required]
    public string StoragePath { get; set; } = "storage";

    /// <summary>Reference numbers read "{prefix}/{year}/{number}", e.g. SEC/ADV/2026/014.</summary>
    [Required, RegularExpression(@"^[A-Z0-9]+(/[A-Z0-9]+)*$", ErrorMessage = "Portal:ReferencePrefix must be capital letters and digits separated by '/', such as SEC/ADV.")]
    public string ReferencePrefix { get; set; } = "SEC/ADV";

    /// <summary>How often the scheduler looks for circulars whose publication time has come.</summary>
    [Range(1, 3600)]
    public int SchedulerIntervalSeconds { get; set; } = 30;

    /// <summary>How long a family member's acknowledgement link stays valid.</summary>
    [Range(1, 365)]
    public int FamilyLinkDays { get; set; } = 30;

    /// <summary>Reminder and escalation rounds, in days relative to the acknowledgement deadline (negative: before it).</summary>
    [Required]
    public ChaseOptions Chase { get; set; } = new();

    [Required]
    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>Where a mobile number typed without a country code is read as being (ISO 3166 code).</summary>
    [Required, Portal.Web.Infrastructure.Text.PhoneRegion]
    public string PhoneRegion { get; set; } = "IN";
}

public sealed class SmtpOptions
{
    [Required]
    public string Host { get; set; } = "localhost";

    [Range(1, 65535)]
    public int Port { get; set; } = 25;

    /// <summary>None (a local relay), StartTls (upgrade on the submission port, 587) or Implicit (TLS from the first byte, 465).</summary>
    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;

    /// <summary>Authentication happens only when a user name is set.</summary>
    public string? UserName { get; set; }
    public string? Password { get; set; }

    [Required, EmailAddress]
    public string From { get; set; } = "advisories@portal.local";

    /// <summary>One message (or connecting and signing in), connection to the server's answer; kept below the host's 30-second shutdown timeout so a send in flight at shutdown can finish.</summary>
    [Range(1, 600)]
    public int TimeoutSeconds { get; set; } = 20;
}

public enum SmtpSecurity { None, StartTls, Implicit }

/// <summary>A start-up problem that deserves one line on stderr rather than a stack trace.</summary>
public sealed class StartupException(string message, Exception? inner = null) : Exception(message, inner);

public sealed class ChaseOptions
{
    /// <summary>Reminders to those who have not acknowledged: e.g. 3 and 1 days before the deadline, 1 and 7 days after.</summary>
    public int[] ReminderDays { get; set; } = [-3, -1, 1, 7];

    /// <summary>Escalations to unit commanders, listing their people still outstanding: days after the deadline.</summary>
    public int[] EscalationDays { get; set; } = [1, 7];

    [Range(1, 3600)]
    public int IntervalSeconds { get; set; } = 300;
}
