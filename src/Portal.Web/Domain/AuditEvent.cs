namespace Portal.Web.Domain;

/// <summary>
/// One state change, append-only. The database fills <see cref="ChainPosition"/>, <see cref="PreviousHash"/>
/// and <see cref="Hash"/> in a trigger under a lock, so the chain cannot fork however many requests write
/// at once, and refuses updates and deletes.
/// </summary>
public sealed class AuditEvent
{
    private AuditEvent() { }

    public long Id { get; private set; }
    public DateTimeOffset OccurredAt { get; private set; }
    public Guid? ActorId { get; private set; }
    public string EntityType { get; private set; } = "";
    public Guid EntityId { get; private set; }
    public string Action { get; private set; } = "";
    public string? Reason { get; private set; }
    public string? Data { get; private set; }
    public long ChainPosition { get; private set; }
    public byte[] PreviousHash { get; private set; } = [];
    public byte[] Hash { get; private set; } = [];

    public static AuditEvent Record(string entityType, Guid entityId, string action, Guid? actor, DateTimeOffset now,
        string? reason = null, string? data = null) => new()
    {
        OccurredAt = now,
        ActorId = actor,
        EntityType = entityType,
        EntityId = entityId,
        Action = action,
        Reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim(),
        Data = data,
    };
}
