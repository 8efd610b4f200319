namespace Portal.Web.Features.Notifications.Mail;

/// <summary>What a staff member's e-mail shows; the sections are Markdown, rendered by the template.</summary>
public sealed record StaffMail(
    string Subject, string Tlp, string Title, string Reference, string Severity, string Deadline,
    bool RedOnlyInPortal, string? ChangeSummary, string Summary, string RequiredActions, string Url)
{
    /// <summary>The language the title and the required actions are in: the reader's when the officer translated them.</summary>
    public string TitleLanguage { get; init; } = "en";
    public string ActionsLanguage { get; init; } = "en";
    public bool TranslationMissing { get; init; }
}

/// <summary>What a family member's e-mail shows: only the family summary and their personal link.</summary>
public sealed record FamilyMail(string Subject, string Reference, string FamilySummary, string Deadline, string Url, bool TranslationMissing)
{
    public string SummaryLanguage { get; init; } = "en";
}

/// <summary>What a unit commander's escalation shows: who in their units is still outstanding.</summary>
public sealed record CommanderMail(string Subject, string Count, string Reference, string Title, string Deadline, IReadOnlyList<string> People, int More, string Url);

/// <summary>What a vendor's users are told when a case opens for them: which circular, and where to answer.</summary>
public sealed record VendorMail(string Subject, string Reference, string Title, string Url);

/// <summary>What either side of a vendor case is told of news on it or of its coming deadline: which circular, and where to read.</summary>
public sealed record CaseMail(string Subject, string Lead, string Url);

/// <summary>What the commander who asked for an exemption is told when it ends: the device, masked, and the circular.</summary>
public sealed record ExemptionEndedMail(string Subject, string Reference, string Title, string? MaskedImei, string? Phone, string? Owner, string? Unit, string Url);
