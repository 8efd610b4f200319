namespace Portal.Web.Domain;

/// <summary>What a vendor claims it did about a model.</summary>
public enum RemediationKind { FirmwareUpdate, ServiceChange, DataRelocation, AppOrPermissionChange }

/// <summary>
/// Where a claim stands in the officers' review: submitted by the vendor; more information asked for; accepted as
/// pending verification (a lab re-test is due); rejected with a reason; verified by a second officer after a re-test.
/// </summary>
public enum ClaimStatus { Submitted, InformationRequested, PendingVerification, Rejected, Verified }

/// <summary>
/// What happened on a vendor case, one row per event. Staleness compares these with the circular's current
/// revision: a circular is stale while one of its cases has an event (of a kind that can change the advice) newer
/// than that revision and not yet considered by an amendment.
/// </summary>
public enum CaseEventKind { Statement, ModelStatusSet, ClaimSubmitted, ClaimReviewed, RetestRecorded, FixVerified, RelocationCompleted, Message }

/// <summary>A vendor's statement on a case. Public statements may be quoted in the circular and its CSAF document.</summary>
public sealed class CaseStatement
{
    private CaseStatement() { }

    public Guid Id { get; private set; }
    public Guid CaseId { get; private set; }
    public string Text { get; private set; } = "";
    public bool IsPublic { get; private set; }
    public Guid PostedById { get; private set; }
    public DateTimeOffset PostedAt { get; private set; }

    public static CaseStatement Post(Guid caseId, string text, bool isPublic, Guid by, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(),
        CaseId = caseId,
        Text = text.Trim(),
        IsPublic = isPublic,
        PostedById = by,
        PostedAt = now,
    };
}

/// <summary>
/// A vendor's claim that it remediated a model: a firmware update (version, release date, link), a service change,
/// a data relocation (from and to countries, planned and completed dates) or an app or permission change; with
/// files of the vendor's own. Officers review it; a lab re-test recorded as evidence linked to the claim and a
/// second officer's verification make the model FixVerified.
/// </summary>
public sealed class RemediationClaim
{
    private readonly List<ClaimFile> _files = [];

    private RemediationClaim() { }

    public Guid Id { get; private set; }
    public Guid CaseId { get; private set; }
    public Guid DeviceModelId { get; private set; }
    public RemediationKind Kind { get; private set; }
    public string Description { get; private set; } = "";
    public string? FirmwareVersion { get; private set; }
    public DateOnly? ReleasedOn { get; private set; }
    public string? Link { get; private set; }
    /// <summary>ISO 3166-1 alpha-2 codes for a data relocation.</summary>
    public string? RelocatedFrom { get; private set; }
    public string? RelocatedTo { get; private set; }
    public DateOnly? PlannedOn { get; private set; }
    public DateOnly? CompletedOn { get; private set; }
    public ClaimStatus Status { get; private set; }
    public Guid SubmittedById { get; private set; }
    public DateTimeOffset SubmittedAt { get; private set; }
    public Guid? ReviewedById { get; private set; }
    public DateTimeOffset? ReviewedAt { get; private set; }
    /// <summary>The officer's reason for a rejection or the information asked for.</summary>
    public string? ReviewNote { get; private set; }
    /// <summary>The lab re-test, recorded as evidence on the circular.</summary>
    public Guid? RetestEvidenceId { get; private set; }
    public Guid? RetestRecordedById { get; private set; }
    public Guid? VerifiedById { get; private set; }
    public DateTimeOffset? VerifiedAt { get; private set; }
    public uint Version { get; private set; }

    public IReadOnlyList<ClaimFile> Files => _files;

    public static RemediationClaim Submit(Guid caseId, Guid deviceModelId, RemediationKind kind, string description,
        string? firmwareVersion, DateOnly? releasedOn, string? link, string? relocatedFrom, string? relocatedTo,
        DateOnly? plannedOn, DateOnly? completedOn, Guid by, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(),
        CaseId = caseId,
        DeviceModelId = deviceModelId,
        Kind = kind,
        Description = description.Trim(),
        FirmwareVersion = Blank(firmwareVersion),
        ReleasedOn = releasedOn,
        Link = Blank(link),
        RelocatedFrom = Blank(relocatedFrom)?.ToUpperInvariant(),
        RelocatedTo = Blank(relocatedTo)?.ToUpperInvariant(),
        PlannedOn = plannedOn,
        CompletedOn = completedOn,
        Status = ClaimStatus.Submitted,
        SubmittedById = by,
        SubmittedAt = now,
    };

    public ClaimFile AttachFile(string fileName, string sha256, long length, string contentType, Guid by, DateTimeOffset now)
    {
        if (Status is ClaimStatus.Verified or ClaimStatus.Rejected)
            throw new DomainException("This claim is closed; submit a new claim to add files.");
        var file = ClaimFile.Create(Id, fileName, sha256, length, contentType, by, now);
        _files.Add(file);
        return file;
    }

    /// <summary>An officer's review: accept as pending verification, reject with a reason, or ask for more information.</summary>
    public void Review(ClaimStatus outcome, string? note, Guid by, DateTimeOffset now)
    {
        if (outcome is not (ClaimStatus.PendingVerification or ClaimStatus.Rejected or ClaimStatus.InformationRequested))
            throw new DomainException("Accept the claim, reject it, or ask for more information.");
        if (Status is ClaimStatus.Verified or ClaimStatus.Rejected)
            throw new DomainException("This claim has already been decided.");
        if (outcome != ClaimStatus.PendingVerification && string.IsNullOrWhiteSpace(note))
            throw new DomainException(outcome == ClaimStatus.Rejected ? "Say why the claim is rejected." : "Say what information is needed.");
        Status = outcome;
        ReviewNote = Blank(note);
        ReviewedById = by;
        ReviewedAt = now;
    }

    /// <summary>The lab re-tested the claimed fix; the re-test is evidence on the circular.</summary>
    public void RecordRetest(Guid evidenceId, Guid by)
    {
        if (Status != ClaimStatus.PendingVerification)
            throw new DomainException("Accept the claim for verification before recording a re-test.");
        RetestEvidenceId = evidenceId;
        RetestRecordedById = by;
    }

    /// <summary>A second officer, never the one who recorded the re-test, marks the fix verified.</summary>
    public void Verify(Guid by, DateTimeOffset now)
    {
        if (Status != ClaimStatus.PendingVerification || RetestEvidenceId is null)
            throw new DomainException("Record the lab's re-test before verifying the fix.");
        if (RetestRecordedById == by)
            throw new DomainException("A second officer verifies the fix: you recorded the re-test.");
        Status = ClaimStatus.Verified;
        VerifiedById = by;
        VerifiedAt = now;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>A vendor's file on a claim (release note, report). The bytes live in the evidence store under <see cref="Sha256"/>.</summary>
public sealed class ClaimFile
{
    private ClaimFile() { }

    public Guid Id { get; private set; }
    public Guid ClaimId { get; private set; }
    public string FileName { get; private set; } = "";
    public string Sha256 { get; private set; } = "";
    public long Length { get; private set; }
    public string ContentType { get; private set; } = "";
    public Guid UploadedById { get; private set; }
    public DateTimeOffset UploadedAt { get; private set; }

    internal static ClaimFile Create(Guid claimId, string fileName, string sha256, long length, string contentType, Guid by, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(),
        ClaimId = claimId,
        FileName = fileName,
        Sha256 = sha256,
        Length = length,
        ContentType = contentType,
        UploadedById = by,
        UploadedAt = now,
    };
}

/// <summary>One message in a case's thread between the officers and the vendor.</summary>
public sealed class CaseMessage
{
    private CaseMessage() { }

    public Guid Id { get; private set; }
    public Guid CaseId { get; private set; }
    public Guid AuthorId { get; private set; }
    /// <summary>True when a vendor user wrote it; false for the security unit.</summary>
    public bool FromVendor { get; private set; }
    public string Body { get; private set; } = "";
    public DateTimeOffset PostedAt { get; private set; }

    public static CaseMessage Post(Guid caseId, Guid author, bool fromVendor, string body, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(),
        CaseId = caseId,
        AuthorId = author,
        FromVendor = fromVendor,
        Body = body.Trim(),
        PostedAt = now,
    };
}

/// <summary>
/// An event on a vendor case (see <see cref="CaseEventKind"/>), written in the same transaction as the change it
/// records. <see cref="ConsideredInRevision"/> is set when an amendment is published that considered it.
/// </summary>
public sealed class CaseEvent
{
    private CaseEvent() { }

    public Guid Id { get; private set; }
    public Guid CaseId { get; private set; }
    public Guid CircularId { get; private set; }
    public CaseEventKind Kind { get; private set; }
    /// <summary>The statement, claim or message the event is about, when there is one.</summary>
    public Guid? SubjectId { get; private set; }
    public Guid ById { get; private set; }
    public DateTimeOffset OccurredAt { get; private set; }
    /// <summary>A one-line account for officers ("Firmware 6.0.10 claimed for Redmi Note 9").</summary>
    public string Summary { get; private set; } = "";
    /// <summary>Whether this kind of event can change the advice (statements, claims, verified fixes, completed relocations).</summary>
    public bool MakesStale { get; private set; }
    public int? ConsideredInRevision { get; private set; }

    public static CaseEvent Record(VendorCase vendorCase, CaseEventKind kind, Guid? subject, Guid by, DateTimeOffset now, string summary) => new()
    {
        Id = Guid.CreateVersion7(),
        CaseId = vendorCase.Id,
        CircularId = vendorCase.CircularId,
        Kind = kind,
        SubjectId = subject,
        ById = by,
        OccurredAt = now,
        Summary = summary.Length > 400 ? summary[..400] : summary,
        MakesStale = kind is CaseEventKind.Statement or CaseEventKind.ClaimSubmitted or CaseEventKind.FixVerified or CaseEventKind.RelocationCompleted,
    };

    public void ConsideredBy(int revision) => ConsideredInRevision ??= revision;
}
