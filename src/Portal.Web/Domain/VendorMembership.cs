namespace Portal.Web.Domain;

public enum MembershipRequestState { Pending, Approved, Refused, Expired }

/// <summary>
/// A person with a vendor account asks to join a vendor organisation; the organisation's administrator approves or
/// refuses. A request unanswered for 30 days expires; one unanswered for 3 days is escalated to the portal's
/// administrators, once.
/// </summary>
public sealed class VendorMembershipRequest
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(30);
    public static readonly TimeSpan EscalateAfter = TimeSpan.FromDays(3);

    private VendorMembershipRequest() { }

    public Guid Id { get; private set; }
    public Guid UserId { get; private set; }
    public Guid VendorOrganisationId { get; private set; }
    public string? Note { get; private set; }
    public MembershipRequestState State { get; private set; }
    public DateTimeOffset RequestedAt { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }
    public DateTimeOffset? EscalatedAt { get; private set; }
    public Guid? DecidedById { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }
    public uint Version { get; private set; }

    public static VendorMembershipRequest Ask(Guid user, Guid vendorOrganisationId, string? note, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(),
        UserId = user,
        VendorOrganisationId = vendorOrganisationId,
        Note = string.IsNullOrWhiteSpace(note) ? null : note.Trim(),
        State = MembershipRequestState.Pending,
        RequestedAt = now,
        ExpiresAt = now + Lifetime,
    };

    /// <summary>The organisation's administrator answers; never their own request, never an expired one.</summary>
    public void Decide(bool approve, Guid by, DateTimeOffset now)
    {
        if (State != MembershipRequestState.Pending)
            throw new DomainException("This request has already been answered.");
        if (now >= ExpiresAt)
            throw new DomainException("This request has expired: the person may ask again.");
        if (by == UserId)
            throw new DomainException("You cannot answer your own request.");
        State = approve ? MembershipRequestState.Approved : MembershipRequestState.Refused;
        DecidedById = by;
        DecidedAt = now;
    }
}
