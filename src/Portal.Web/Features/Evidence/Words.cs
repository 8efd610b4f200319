using Portal.Web.Domain;
using Portal.Web.Infrastructure.Localization;

namespace Portal.Web.Features.Evidence;

/// <summary>Custody actions as people say them; data categories are <see cref="EnumWords"/>.</summary>
public static class DataCategories
{
    /// <summary>English words for documents others read (CSAF, CSV); pages say <c>T[category.Words()]</c>.</summary>
    public static string Display(DataCategory category) => category.Words();

    public static string DescribeCustody(string action) => action switch
    {
        "EvidenceRecorded" => "recorded the evidence",
        "EvidenceFileUploaded" => "uploaded a file",
        "EvidenceFileRemoved" => "removed a file",
        "EvidenceViewed" => "viewed it",
        "EvidenceFileDownloaded" => "downloaded a file",
        "FindingAdded" => "added a finding",
        "FindingRemoved" => "removed a finding",
        "EvidenceSuperseded" => "marked it superseded",
        "EvidenceSharingChanged" => "changed sharing with vendors",
        "EvidenceCited" => "cited by a published revision",
        _ => action,
    };
}
