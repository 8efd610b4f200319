namespace Portal.Web.Domain;

public enum RevisionKind { Initial, Minor, Material }

public enum SourceKind { CertAdvisory, LabReport, VendorStatement, NewsReport, Other }

/// <summary>An outside source a circular rests on: a CERT advisory id, a lab report number, a news article.</summary>
public sealed class CircularSource
{
    private CircularSource() { }

    public Guid Id { get; private set; }
    public Guid CircularId { get; private set; }
    public SourceKind Kind { get; private set; }
    public string Identifier { get; private set; } = "";
    public string? Title { get; private set; }
    public string? Url { get; private set; }

    internal static CircularSource Create(Guid circularId, SourceKind kind, string identifier, string? title, string? url) => new()
    {
        Id = Guid.CreateVersion7(),
        CircularId = circularId,
        Kind = kind,
        Identifier = identifier.Trim(),
        Title = string.IsNullOrWhiteSpace(title) ? null : title.Trim(),
        Url = string.IsNullOrWhiteSpace(url) ? null : url.Trim(),
    };
}

/// <summary>A unit whose whole subtree a circular addresses.</summary>
public sealed class CircularAudienceUnit
{
    private CircularAudienceUnit() { }

    public Guid CircularId { get; private set; }
    public Guid UnitId { get; private set; }

    internal static CircularAudienceUnit Create(Guid circularId, Guid unitId) => new() { CircularId = circularId, UnitId = unitId };
}

/// <summary>A model a rule covered when the revision was published, named as it was then.</summary>
public sealed record ModelSnapshot(Guid Id, string MarketingName, string[] ModelNumbers);

/// <summary>A rule as published: names are copied so later catalogue edits cannot rewrite a published revision.</summary>
public sealed record RuleSnapshot(
    RuleAction Action, Guid ManufacturerId, string ManufacturerName, Guid? DeviceModelId, string? ModelPattern,
    string[] TacPrefixes, string? FirmwareBelow, string? Note, IReadOnlyList<ModelSnapshot> Models);

public sealed record SourceSnapshot(SourceKind Kind, string Identifier, string? Title, string? Url);

/// <summary>
/// A published revision: an immutable copy of everything a reader saw. The database refuses updates
/// and deletes of these rows.
/// </summary>
public sealed class CircularRevision
{
    private CircularRevision() { }

    public Guid Id { get; private set; }
    public Guid CircularId { get; private set; }
    public int Number { get; private set; }
    public RevisionKind Kind { get; private set; }
    public string ChangeSummary { get; private set; } = "";
    public DateTimeOffset PublishedAt { get; private set; }
    public Guid SubmittedById { get; private set; }
    public Guid ApprovedById { get; private set; }
    public string ReferenceNumber { get; private set; } = "";
    public CircularText Text { get; private set; } = null!;
    public Guid[] AudienceUnitIds { get; private set; } = [];
    public Guid[] ManufacturerIds { get; private set; } = [];
    public List<RuleSnapshot> Rules { get; private set; } = [];
    public List<SourceSnapshot> Sources { get; private set; } = [];

    internal static CircularRevision Of(Circular c, int number, RevisionKind kind, string changeSummary, DateTimeOffset now,
        Guid submittedBy, Guid approvedBy, IReadOnlyList<RuleSnapshot> rules) => new()
    {
        Id = Guid.CreateVersion7(),
        CircularId = c.Id,
        Number = number,
        Kind = kind,
        ChangeSummary = changeSummary,
        PublishedAt = now,
        SubmittedById = submittedBy,
        ApprovedById = approvedBy,
        ReferenceNumber = c.ReferenceNumber!,
        Text = c.Text,
        AudienceUnitIds = c.Audience.Select(a => a.UnitId).ToArray(),
        ManufacturerIds = c.Rules.Select(r => r.ManufacturerId).Distinct().ToArray(),
        Rules = [.. rules],
        Sources = c.Sources.Select(s => new SourceSnapshot(s.Kind, s.Identifier, s.Title, s.Url)).ToList(),
    };
}
