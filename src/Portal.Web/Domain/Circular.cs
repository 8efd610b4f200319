namespace Portal.Web.Domain;

public enum CircularStatus { Draft, InReview, Scheduled, Published, Superseded, Withdrawn }

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

/// <summary>
/// The text of a circular: its CERT-In style sections (each Markdown), labels, deadline, who it is for, and the
/// officer's Hindi version of what families and staff act on (title, family summary, required actions). One type for the working copy, the published
/// revision (both map it as an EF complex type onto the same columns), the form and the page.
/// <see cref="InternalNotes"/> is null only in what is read for someone who may not see them.
/// </summary>
public sealed record CircularText(
    string Title,
    Severity Severity,
    TlpLabel Tlp,
    string Summary,
    string Background,
    string RiskAssessment,
    string Impact,
    string RequiredActions,
    string References,
    DateOnly AcknowledgementDeadline,
    bool IncludeFamilies = false,
    string FamilySummary = "",
    string? InternalNotes = "",
    string HindiTitle = "",
    string HindiFamilySummary = "",
    string HindiRequiredActions = "")
{
    public const string Hindi = "hi";
    /// <summary>Whitespace around each part removed, as it is kept.</summary>
    public CircularText Trimmed() => new(
        Title.Trim(), Severity, Tlp, Summary.Trim(), Background.Trim(), RiskAssessment.Trim(), Impact.Trim(),
        RequiredActions.Trim(), References.Trim(), AcknowledgementDeadline, IncludeFamilies, FamilySummary.Trim(),
        (InternalNotes ?? "").Trim(), HindiTitle.Trim(), HindiFamilySummary.Trim(), HindiRequiredActions.Trim());

    public bool HasHindi => HindiTitle.Length > 0 || HindiFamilySummary.Length > 0 || HindiRequiredActions.Length > 0;

    /// <summary>The title as a reader of <paramref name="language"/> reads it: the officer's translation if there is one, else the English.</summary>
    public Worded TitleIn(string? language) => In(language, Title, HindiTitle);

    public Worded FamilySummaryIn(string? language) => In(language, FamilySummary, HindiFamilySummary);

    public Worded RequiredActionsIn(string? language) => In(language, RequiredActions, HindiRequiredActions);

    /// <summary>
    /// The parts of the Hindi version that are older than the English: the English changed since
    /// <paramref name="published"/> and the Hindi, written before, did not. Empty for a first draft or when nothing is stale.
    /// </summary>
    public IReadOnlyList<string> TranslationOlderThanEnglish(CircularText? published)
    {
        if (published is null) return [];
        var stale = new List<string>();
        void Check(string part, string english, string was, string hindi, string hindiWas)
        {
            if (hindi.Length > 0 && english != was && hindi == hindiWas) stale.Add(part);
        }
        Check("Title", Title, published.Title, HindiTitle, published.HindiTitle);
        Check("Family summary", FamilySummary, published.FamilySummary, HindiFamilySummary, published.HindiFamilySummary);
        Check("Required actions", RequiredActions, published.RequiredActions, HindiRequiredActions, published.HindiRequiredActions);
        return stale;
    }

    private static Worded In(string? language, string english, string hindi) =>
        language?.StartsWith(Hindi, StringComparison.OrdinalIgnoreCase) == true
            ? hindi.Length > 0 ? new Worded(hindi, Hindi, true) : new Worded(english, "en", false)
            : new Worded(english, "en", true);

    /// <summary>The public sections in reading order, with their headings.</summary>
    public IReadOnlyList<(string Title, string Text)> Sections =>
    [
        ("Summary", Summary), ("Background", Background), ("Risk assessment", RiskAssessment),
        ("Impact", Impact), ("Required actions", RequiredActions), ("References", References),
    ];
}

/// <summary>A part of a circular in the language it is written in, and whether that is the language the reader asked for.</summary>
public sealed record Worded(string Text, string Language, bool InReadersLanguage);

/// <summary>Where an amendment of a published circular stands; readers keep seeing the last published revision meanwhile.</summary>
public enum AmendmentStatus { None, Editing, InReview }

/// <summary>
/// A circular and its working copy. The working copy is what officers edit; readers see the latest
/// <see cref="CircularRevision"/>. The state machine lives here: each transition checks who may make
/// it and in which state, and throws <see cref="DomainException"/> with a message for the person.
/// </summary>
public sealed class Circular
{
    private readonly List<CircularRule> _rules = [];
    private readonly List<CircularAudienceUnit> _audience = [];
    private readonly List<CircularSource> _sources = [];

    private Circular() { }

    public Guid Id { get; private set; }
    public string? ReferenceNumber { get; private set; }
    public CircularStatus Status { get; private set; }
    public AmendmentStatus Amendment { get; private set; }
    public CircularText Text { get; private set; } = null!;
    public Guid CreatedById { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public Guid UpdatedById { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    public Guid? SubmittedById { get; private set; }
    public DateTimeOffset? SubmittedAt { get; private set; }
    public Guid? ApprovedById { get; private set; }
    public DateTimeOffset? ScheduledPublishAt { get; private set; }
    public string? ChangeSummary { get; private set; }
    public RevisionKind? ChangeKind { get; private set; }
    public string? ReturnReason { get; private set; }
    public Guid? ReturnedById { get; private set; }
    public DateTimeOffset? ReturnedAt { get; private set; }

    public int CurrentRevisionNumber { get; private set; }
    public Guid? CurrentRevisionId { get; private set; }
    public CircularRevision? CurrentRevision { get; private set; }
    public DateTimeOffset? FirstPublishedAt { get; private set; }

    public Guid? SupersededById { get; private set; }
    public string? ClosingReason { get; private set; }
    public DateTimeOffset? ClosedAt { get; private set; }

    /// <summary>PostgreSQL's xmin: a stale form is refused instead of overwriting someone else's change.</summary>
    public uint Version { get; private set; }

    public IReadOnlyList<CircularRule> Rules => _rules;
    public IReadOnlyList<CircularAudienceUnit> Audience => _audience;
    public IReadOnlyList<CircularSource> Sources => _sources;

    public bool IsEditable => Status == CircularStatus.Draft || (Status == CircularStatus.Published && Amendment == AmendmentStatus.Editing);
    public bool IsAwaitingApproval => Status == CircularStatus.InReview || Amendment == AmendmentStatus.InReview;

    public static Circular Draft(CircularText content, Guid author, DateTimeOffset now)
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

    public void Revise(CircularText content, Guid editor, DateTimeOffset now)
    {
        EnsureEditable();
        Apply(content, editor, now);
    }

    public CircularRule AddRule(Guid manufacturerId, Guid? deviceModelId, string? modelPattern, IEnumerable<string> tacPrefixes,
        string? firmwareBelow, RuleAction action, string? note, Guid editor, DateTimeOffset now)
    {
        EnsureEditable();
        var rule = CircularRule.Create(Id, _rules.Count == 0 ? 1 : _rules.Max(r => r.Position) + 1,
            manufacturerId, deviceModelId, modelPattern, tacPrefixes, firmwareBelow, action, note);
        _rules.Add(rule);
        Touch(editor, now);
        return rule;
    }

    public void RemoveRule(Guid ruleId, Guid editor, DateTimeOffset now)
    {
        EnsureEditable();
        _rules.Remove(_rules.FirstOrDefault(r => r.Id == ruleId) ?? throw new DomainException("That rule is no longer on this circular."));
        Touch(editor, now);
    }

    public void AddAudienceUnit(Guid unitId, Guid editor, DateTimeOffset now)
    {
        EnsureEditable();
        if (_audience.Any(a => a.UnitId == unitId))
            throw new DomainException("That unit is already in the audience.");
        _audience.Add(CircularAudienceUnit.Create(Id, unitId));
        Touch(editor, now);
    }

    public void RemoveAudienceUnit(Guid unitId, Guid editor, DateTimeOffset now)
    {
        EnsureEditable();
        _audience.Remove(_audience.FirstOrDefault(a => a.UnitId == unitId) ?? throw new DomainException("That unit is not in the audience."));
        Touch(editor, now);
    }

    public CircularSource AddSource(SourceKind kind, string identifier, string? title, string? url, Guid editor, DateTimeOffset now)
    {
        EnsureEditable();
        if (_sources.Any(s => s.Kind == kind && string.Equals(s.Identifier, identifier.Trim(), StringComparison.OrdinalIgnoreCase)))
            throw new DomainException(new Sentence("\"{0}\" is already referenced.", identifier.Trim()));
        var source = CircularSource.Create(Id, kind, identifier, title, url);
        _sources.Add(source);
        Touch(editor, now);
        return source;
    }

    public void RemoveSource(Guid sourceId, Guid editor, DateTimeOffset now)
    {
        EnsureEditable();
        _sources.Remove(_sources.FirstOrDefault(s => s.Id == sourceId) ?? throw new DomainException("That reference is no longer on this circular."));
        Touch(editor, now);
    }

    /// <summary>What stops publication, in words for the officer; empty when the circular is complete.</summary>
    public IReadOnlyList<string> PublicationProblems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Text.Summary)) problems.Add("Write the summary.");
        if (string.IsNullOrWhiteSpace(Text.RiskAssessment)) problems.Add("Write the risk assessment.");
        if (string.IsNullOrWhiteSpace(Text.RequiredActions)) problems.Add("Write the required actions.");
        if (_rules.Count == 0) problems.Add("Add at least one rule naming the devices this circular bans, restricts or monitors.");
        if (_audience.Count == 0) problems.Add("Choose the audience: at least one unit.");
        if (Text.IncludeFamilies && string.IsNullOrWhiteSpace(Text.FamilySummary)) problems.Add("Write the family summary: families are in the audience and see it instead of the full text.");
        return problems;
    }

    public void StartAmendment(Guid officer, DateTimeOffset now)
    {
        if (Status is CircularStatus.Withdrawn or CircularStatus.Superseded)
            throw new DomainException(new Sentence("This circular is {0}; it cannot be amended. Draft a new circular instead.", Describe()));
        if (Status != CircularStatus.Published)
            throw new DomainException("Only a published circular can be amended; edit the draft instead.");
        if (Amendment != AmendmentStatus.None)
            throw new DomainException("An amendment is already in progress.");
        Amendment = AmendmentStatus.Editing;
        ChangeSummary = null;
        ChangeKind = null;
        ReturnReason = null;
        Touch(officer, now);
    }

    /// <summary>Pre-fills the change summary an amendment being edited will be submitted with (the officer may still change it).</summary>
    public void ProposeChange(string changeSummary, RevisionKind changeKind, Guid officer, DateTimeOffset now)
    {
        if (Amendment != AmendmentStatus.Editing)
            throw new DomainException("Only an amendment being edited takes a proposed change summary.");
        ChangeSummary = changeSummary.Trim();
        ChangeKind = changeKind;
        Touch(officer, now);
    }

    public void Submit(Guid officer, DateTimeOffset now, string? changeSummary = null, RevisionKind? changeKind = null)
    {
        if (Status == CircularStatus.Published && Amendment == AmendmentStatus.Editing)
        {
            if (string.IsNullOrWhiteSpace(changeSummary))
                throw new DomainException("Say what the amendment changes (the change summary).");
            if (changeKind is not (RevisionKind.Minor or RevisionKind.Material))
                throw new DomainException("Say whether the amendment is minor or material.");
            EnsurePublishable();
            Amendment = AmendmentStatus.InReview;
            ChangeSummary = changeSummary.Trim();
            ChangeKind = changeKind;
        }
        else if (Status == CircularStatus.Draft)
        {
            EnsurePublishable();
            Status = CircularStatus.InReview;
        }
        else
            throw new DomainException(new Sentence("Only a draft or an amendment being edited can be submitted; this circular is {0}.", Describe()));
        SubmittedById = officer;
        SubmittedAt = now;
        ReturnReason = null;
    }

    public void Return(Guid approver, DateTimeOffset now, string reason)
    {
        if (string.IsNullOrWhiteSpace(reason))
            throw new DomainException("Say why the circular goes back, so the author knows what to change.");
        if (Status is CircularStatus.InReview or CircularStatus.Scheduled)
        {
            Status = CircularStatus.Draft;
            ScheduledPublishAt = null;
            ApprovedById = null;
        }
        else if (Amendment == AmendmentStatus.InReview)
            Amendment = AmendmentStatus.Editing;
        else
            throw new DomainException(new Sentence("Only a circular awaiting approval can be returned; this circular is {0}.", Describe()));
        ReturnReason = reason.Trim();
        ReturnedById = approver;
        ReturnedAt = now;
    }

    /// <summary>
    /// Four eyes: whoever wrote or submitted the text cannot approve it. Returns true when the circular
    /// should be published now; false when it waits for <paramref name="publishAt"/>.
    /// </summary>
    public bool Approve(Guid approver, DateTimeOffset now, DateTimeOffset? publishAt)
    {
        if (!IsAwaitingApproval)
            throw new DomainException(new Sentence("Only a circular awaiting approval can be approved; this circular is {0}.", Describe()));
        if (approver == SubmittedById || approver == UpdatedById || (CurrentRevisionNumber == 0 && approver == CreatedById))
            throw new DomainException("You wrote or submitted this circular, so you cannot approve it: a second officer must.");
        EnsurePublishable();
        ApprovedById = approver;
        if (publishAt is { } at && at > now)
        {
            if (Amendment != AmendmentStatus.None)
                throw new DomainException("Amendments are published when approved; leave the publication time empty.");
            Status = CircularStatus.Scheduled;
            ScheduledPublishAt = at;
            return false;
        }
        if (publishAt is { } past && past < now.AddMinutes(-1))
            throw new DomainException("The publication time is in the past: leave it empty to publish now, or choose a later time.");
        return true;
    }

    /// <summary>
    /// Makes the working copy the next published revision. <paramref name="newReferenceNumber"/> is taken
    /// from the yearly counter only at first publication; amendments keep the number.
    /// </summary>
    public CircularRevision Publish(DateTimeOffset now, string? newReferenceNumber, IReadOnlyList<RuleSnapshot> rules)
    {
        var initial = Status is CircularStatus.InReview or CircularStatus.Scheduled;
        if (!initial && Amendment != AmendmentStatus.InReview)
            throw new DomainException(new Sentence("Only an approved circular can be published; this circular is {0}.", Describe()));
        if (ApprovedById is not { } approver || SubmittedById is not { } submitter)
            throw new DomainException("The circular has not been approved.");
        ReferenceNumber ??= newReferenceNumber ?? throw new InvalidOperationException("A first publication needs a reference number.");
        var revision = CircularRevision.Of(this, CurrentRevisionNumber + 1,
            initial ? RevisionKind.Initial : ChangeKind!.Value,
            initial ? "First publication." : ChangeSummary!, now, submitter, approver, rules);
        CurrentRevisionNumber = revision.Number;
        CurrentRevisionId = revision.Id;
        CurrentRevision = revision;
        FirstPublishedAt ??= now;
        Status = CircularStatus.Published;
        Amendment = AmendmentStatus.None;
        ScheduledPublishAt = null;
        SubmittedById = null;
        SubmittedAt = null;
        ApprovedById = null;
        ChangeSummary = null;
        ChangeKind = null;
        return revision;
    }

    public void Withdraw(Guid officer, DateTimeOffset now, string reason)
    {
        EnsureOpenForClosing();
        if (string.IsNullOrWhiteSpace(reason))
            throw new DomainException("Say why the circular is withdrawn; readers will see it.");
        Status = CircularStatus.Withdrawn;
        Close(officer, now, reason);
    }

    public void SupersedeBy(Circular replacement, Guid officer, DateTimeOffset now, string reason)
    {
        EnsureOpenForClosing();
        if (replacement.Id == Id)
            throw new DomainException("A circular cannot supersede itself.");
        if (replacement.Status != CircularStatus.Published)
            throw new DomainException("The replacement must be a published circular.");
        if (string.IsNullOrWhiteSpace(reason))
            throw new DomainException("Say why the circular is superseded; readers will see it.");
        Status = CircularStatus.Superseded;
        SupersededById = replacement.Id;
        Close(officer, now, reason);
    }

    private void EnsureOpenForClosing()
    {
        if (Status != CircularStatus.Published)
            throw new DomainException(new Sentence("Only a published circular can be withdrawn or superseded; this circular is {0}.", Describe()));
        if (Amendment != AmendmentStatus.None)
            throw new DomainException("Finish or return the amendment in progress first.");
    }

    private void Close(Guid officer, DateTimeOffset now, string reason)
    {
        ClosingReason = reason.Trim();
        ClosedAt = now;
        Touch(officer, now);
    }

    private void EnsurePublishable()
    {
        var problems = PublicationProblems();
        if (problems.Count > 0)
            throw new DomainException(new Sentence("Not ready for publication: {0}", Sentence.Join(problems.Select(p => new Sentence(p)))));
    }

    /// <summary>Why the working copy cannot be changed now, in words for the officer; null while it can.</summary>
    public Sentence? EditingRefusal() => IsEditable ? null
        : Status == CircularStatus.Published && Amendment == AmendmentStatus.None
            ? "This circular is published: start an amendment to change it."
            : new Sentence("Only a draft can be edited; this circular is {0}.", Describe());

    private void EnsureEditable()
    {
        if (EditingRefusal() is { } refusal)
            throw new DomainException(refusal);
    }

    /// <summary>The state in words that finish "this circular is …" (distinct from the status names, which are keys of their own).</summary>
    private Sentence Describe() => Amendment switch
    {
        AmendmentStatus.Editing => "published, with an amendment being edited",
        AmendmentStatus.InReview => "published, with an amendment awaiting approval",
        _ => Status switch
        {
            CircularStatus.Draft => "still a draft",
            CircularStatus.InReview => "awaiting approval",
            CircularStatus.Scheduled => new Sentence("approved and scheduled for {0:yyyy-MM-dd HH:mm} UTC", ScheduledPublishAt),
            CircularStatus.Published => "already published",
            CircularStatus.Withdrawn => "already withdrawn",
            CircularStatus.Superseded => "already superseded",
            _ => Status.ToString(),
        },
    };

    private void Touch(Guid by, DateTimeOffset now)
    {
        UpdatedById = by;
        UpdatedAt = now;
    }

    private void Apply(CircularText text, Guid by, DateTimeOffset now)
    {
        Text = text.Trimmed();
        Touch(by, now);
    }
}
