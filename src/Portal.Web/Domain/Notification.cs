namespace Portal.Web.Domain;

public enum NotificationChannel { InApp, Email, Sms }

public enum NotificationPurpose { Published, Amended, Reminder, Escalation, VendorCase, DeviceFlagged, ExemptionExpired, CaseActivity, CaseDeadline, StaleDigest, MembershipEscalation }

/// <summary>Pending: waiting in the outbox (or for a retry). Sent, Failed (gave up after retries) and Bounced (refused by the recipient's server) are final.</summary>
public enum NotificationState { Pending, Sent, Failed, Bounced }

public enum AcknowledgementChannel { Portal, FamilyLink }

/// <summary>
/// One message to one recipient on one channel; the outbox the dispatcher works from. Rows are made
/// in bulk by set-based SQL at publication (see Features/Notifications/FanOut), never one by one.
/// </summary>
public sealed class Notification
{
    private Notification() { }

    public long Id { get; private set; }
    public Guid? CircularId { get; private set; }
    public int RevisionNumber { get; private set; }
    public NotificationPurpose Purpose { get; private set; }
    public NotificationChannel Channel { get; private set; }
    public Guid? StaffMemberId { get; private set; }
    public Guid? DependentId { get; private set; }
    public Guid? UserId { get; private set; }
    public Guid? UnitId { get; private set; }

    /// <summary>The device an exemption-ended alert is about (docs/decisions/0052-device-import-jobs-and-benchmarks.md).</summary>
    public Guid? DeviceId { get; private set; }
    public string? Address { get; private set; }
    public string Language { get; private set; } = "en";
    public NotificationState State { get; private set; }
    public int Attempts { get; private set; }
    public DateTimeOffset? NextAttemptAt { get; private set; }
    public string? LastError { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? SentAt { get; private set; }
    public DateTimeOffset? ReadAt { get; private set; }

    public void Delivered(DateTimeOffset now)
    {
        State = NotificationState.Sent;
        SentAt = now;
        NextAttemptAt = null;
        LastError = null;
    }

    /// <summary>A temporary failure is retried with exponential backoff until <paramref name="maxAttempts"/>, then the notification is Failed.</summary>
    public void AttemptFailed(DateTimeOffset now, string error, bool permanent, bool bounced, int maxAttempts, TimeSpan baseDelay)
    {
        LastError = error.Length > 1000 ? error[..1000] : error;
        if (bounced || permanent || Attempts >= maxAttempts)
        {
            State = bounced ? NotificationState.Bounced : NotificationState.Failed;
            NextAttemptAt = null;
            return;
        }
        NextAttemptAt = now + TimeSpan.FromTicks(baseDelay.Ticks * (1L << Math.Min(Attempts - 1, 10)));
    }

    public void CountAttempt() => Attempts++;

    /// <summary>The recipient's address changed while the message waited: it goes to the one they have now.</summary>
    public void Readdress(string address) => Address = address;

    public void MarkRead(DateTimeOffset now) => ReadAt ??= now;
}

public sealed class NotificationAttempt
{
    private NotificationAttempt() { }

    public long Id { get; private set; }
    public long NotificationId { get; private set; }
    public DateTimeOffset AttemptedAt { get; private set; }
    public string Outcome { get; private set; } = "";
    public string? Detail { get; private set; }

    public static NotificationAttempt Record(long notificationId, DateTimeOffset at, string outcome, string? detail) => new()
    {
        NotificationId = notificationId,
        AttemptedAt = at,
        Outcome = outcome,
        Detail = detail is { Length: > 1000 } ? detail[..1000] : detail,
    };
}

/// <summary>Whom a circular revision asks to acknowledge; a material amendment asks everyone again with a new set of rows.</summary>
public sealed class AcknowledgementRequest
{
    private AcknowledgementRequest() { }

    public long Id { get; private set; }
    public Guid CircularId { get; private set; }
    public int RevisionNumber { get; private set; }
    public Guid StaffMemberId { get; private set; }
    public Guid? DependentId { get; private set; }
    public Guid UnitId { get; private set; }
    public DateTimeOffset RequestedAt { get; private set; }
    public DateTimeOffset? AcknowledgedAt { get; private set; }
    public int? AcknowledgedRevision { get; private set; }
    public AcknowledgementChannel? Channel { get; private set; }
}
