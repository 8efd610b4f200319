using Portal.Web.Domain;

namespace Portal.Web.Features.Circulars;

/// <summary>Audit actions and source kinds as people say them.</summary>
public static class HistoryWords
{
    public static string Describe(string action) => action switch
    {
        "Drafted" => "drafted",
        "Edited" => "edited the text",
        "Submitted" => "submitted for approval",
        "AmendmentStarted" => "started an amendment",
        "AmendmentSubmitted" => "submitted the amendment for approval",
        "Returned" => "returned it to the author",
        "Approved" => "approved",
        "ApprovedScheduled" => "approved it for scheduled publication",
        "Published" => "published a revision",
        "Withdrawn" => "withdrew it",
        "Superseded" => "marked it superseded",
        "RuleAdded" => "added a rule",
        "RuleRemoved" => "removed a rule",
        "AudienceUnitAdded" => "added a unit to the audience",
        "AudienceUnitRemoved" => "removed a unit from the audience",
        "SourceAdded" => "added a source",
        "SourceRemoved" => "removed a source",
        "FirmwareAmendmentDrafted" => "drafted the amendment from a verified firmware fix",
        _ => action,
    };
}
