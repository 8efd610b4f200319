namespace Portal.Web.Domain;

/// <summary>Flagged: a published rule covers the device. Exempted: an officer approved an exemption until a date.
/// Remediated: it no longer matches (removed, updated, rules changed), with how in <see cref="ComplianceFinding.Resolution"/>.</summary>
public enum FindingState { Flagged, Exempted, Remediated }

public enum ExemptionState { Requested, Approved, Refused, Expired }

/// <summary>
/// Device × circular: the first of the circular's current rules that covers the device. Rows are made and
/// resolved by the set-based scan (Features/Devices/ComplianceScan.cs), never one by one; only exemptions
/// change a single row.
/// </summary>
public sealed class ComplianceFinding
{
    private ComplianceFinding() { }

    public long Id { get; private set; }
    public Guid DeviceId { get; private set; }
    public Guid CircularId { get; private set; }
    public int RevisionNumber { get; private set; }
    public int RulePosition { get; private set; }
    public RuleAction Action { get; private set; }
    public FindingState State { get; private set; }
    public DateTimeOffset FlaggedAt { get; private set; }
    public DateTimeOffset? ResolvedAt { get; private set; }
    public string? Resolution { get; private set; }
    public ExemptionState? ExemptionState { get; private set; }
    public string? ExemptionReason { get; private set; }
    public DateTimeOffset? ExemptionExpiresAt { get; private set; }
    public Guid? ExemptionRequestedById { get; private set; }
    public DateTimeOffset? ExemptionRequestedAt { get; private set; }
    public Guid? ExemptionDecidedById { get; private set; }
    public DateTimeOffset? ExemptionDecidedAt { get; private set; }
    public string? ExemptionDecisionNote { get; private set; }

    public void RequestExemption(Guid by, string reason, DateTimeOffset expiresAt, DateTimeOffset now)
    {
        if (State != FindingState.Flagged)
            throw new DomainException("Only a flagged device can be exempted.");
        if (ExemptionState == Domain.ExemptionState.Requested)
            throw new DomainException("An exemption is already waiting for a security officer's decision.");
        if (expiresAt <= now)
            throw new DomainException("The exemption must end in the future.");
        ExemptionState = Domain.ExemptionState.Requested;
        ExemptionReason = reason.Trim();
        ExemptionExpiresAt = expiresAt;
        ExemptionRequestedById = by;
        ExemptionRequestedAt = now;
        ExemptionDecidedById = null;
        ExemptionDecidedAt = null;
        ExemptionDecisionNote = null;
    }

    public void DecideExemption(Guid by, bool approve, string? note, DateTimeOffset now)
    {
        if (ExemptionState != Domain.ExemptionState.Requested)
            throw new DomainException("There is no exemption request waiting for a decision.");
        if (by == ExemptionRequestedById)
            throw new DomainException("Someone else must decide on an exemption you requested.");
        if (approve && ExemptionExpiresAt <= now)
            throw new DomainException("The requested end date has passed; ask for a new exemption.");
        ExemptionState = approve ? Domain.ExemptionState.Approved : Domain.ExemptionState.Refused;
        ExemptionDecidedById = by;
        ExemptionDecidedAt = now;
        ExemptionDecisionNote = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        if (approve && State == FindingState.Flagged)
            State = FindingState.Exempted;
    }
}
