namespace Portal.Web.Domain;

/// <summary>
/// What the vendor cases of a circular said when one of its revisions was published, kept with the revision so
/// the revision's CSAF document says the same thing for ever (docs/decisions/0045-staleness-and-case-data-in-csaf.md).
/// <see cref="Data"/> is the JSON of <see cref="CaseRecordData"/>.
/// </summary>
public sealed class RevisionCaseRecord
{
    private RevisionCaseRecord() { }

    public Guid RevisionId { get; private set; }
    public string Data { get; private set; } = "[]";

    public static RevisionCaseRecord Of(Guid revisionId, string data) => new() { RevisionId = revisionId, Data = data };
}

/// <summary>One vendor's part of a circular, as recorded at a publication.</summary>
public sealed record CaseRecordData(
    string Vendor,
    bool Answered,
    IReadOnlyList<CaseRecordData.Model> Models,
    IReadOnlyList<CaseRecordData.Statement> Statements,
    IReadOnlyList<CaseRecordData.Claim> Claims,
    DateTimeOffset? OpenedAt = null,
    DateTimeOffset? LastEventAt = null)
{
    public sealed record Model(Guid DeviceModelId, string Name, ModelStatus Status);

    /// <summary>Only public statements are recorded: the record is what may be published.</summary>
    public sealed record Statement(DateTimeOffset PostedAt, string Text);

    /// <summary>Claims an officer accepted (pending verification) or verified; submitted and rejected ones say nothing yet.</summary>
    public sealed record Claim(Guid DeviceModelId, RemediationKind Kind, ClaimStatus Status, string Description, string? FirmwareVersion,
        DateOnly? ReleasedOn, string? Link, string? RelocatedFrom, string? RelocatedTo, DateOnly? CompletedOn);
}

/// <summary>The day a digest of stale circulars went to the security officers: one row per day, so it goes once however many instances look.</summary>
public sealed class StaleDigestRound
{
    private StaleDigestRound() { }

    public DateOnly Day { get; private set; }
    public DateTimeOffset RanAt { get; private set; }
    public int Notifications { get; private set; }
}
