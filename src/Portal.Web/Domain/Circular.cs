namespace Portal.Web.Domain;

public enum CircularStatus { Draft, InReview, Published, Superseded, Withdrawn }

public enum Severity { Low, Medium, High, Critical }

/// <summary>Traffic Light Protocol 2.0 labels.</summary>
public enum TlpLabel { Clear, Green, Amber, AmberStrict, Red }

public static class TlpLabels
{
    public static string Display(this TlpLabel tlp) => tlp switch
    {
        TlpLabel.AmberStrict => "TLP:AMBER+STRICT",
        _ => "TLP:" + tlp.ToString().ToUpperInvariant(),
    };
}

/// <summary>The CERT-In style body of a circular: each section is Markdown.</summary>
public sealed record CircularContent(
    string Title,
    Severity Severity,
    TlpLabel Tlp,
    string Summary,
    string Background,
    string RiskAssessment,
    string Impact,
    string RequiredActions,
    string References,
    DateOnly AcknowledgementDeadline);

public sealed class Circular
{
    private Circular() { }

    public Guid Id { get; private set; }
    public string? ReferenceNumber { get; private set; }
    public CircularStatus Status { get; private set; }
    public string Title { get; private set; } = "";
    public Severity Severity { get; private set; }
    public TlpLabel Tlp { get; private set; }
    public string Summary { get; private set; } = "";
    public string Background { get; private set; } = "";
    public string RiskAssessment { get; private set; } = "";
    public string Impact { get; private set; } = "";
    public string RequiredActions { get; private set; } = "";
    public string References { get; private set; } = "";
    public DateOnly AcknowledgementDeadline { get; private set; }
    public Guid CreatedById { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public Guid UpdatedById { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>PostgreSQL's xmin: a stale edit form is refused instead of overwriting someone else's change.</summary>
    public uint Version { get; private set; }

    public static Circular Draft(CircularContent content, Guid author, DateTimeOffset now)
    {
        var circular = new Circular
        {
            Id = Guid.CreateVersion7(),
            Status = CircularStatus.Draft,
            CreatedById = author,
            CreatedAt = now,
        };
        circular.Apply(content, author, now);
        return circular;
    }

    public void Revise(CircularContent content, Guid editor, DateTimeOffset now)
    {
        if (Status != CircularStatus.Draft)
            throw new DomainException($"Only a draft can be edited; this circular is {Status}.");
        Apply(content, editor, now);
    }

    private void Apply(CircularContent c, Guid by, DateTimeOffset now)
    {
        Title = c.Title.Trim();
        Severity = c.Severity;
        Tlp = c.Tlp;
        Summary = c.Summary.Trim();
        Background = c.Background.Trim();
        RiskAssessment = c.RiskAssessment.Trim();
        Impact = c.Impact.Trim();
        RequiredActions = c.RequiredActions.Trim();
        References = c.References.Trim();
        AcknowledgementDeadline = c.AcknowledgementDeadline;
        UpdatedById = by;
        UpdatedAt = now;
    }
}
