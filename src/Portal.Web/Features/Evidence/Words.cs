using Portal.Web.Domain;

namespace Portal.Web.Features.Evidence;

/// <summary>Data categories and custody actions as people say them.</summary>
public static class DataCategories
{
    public static string Display(DataCategory category) => category switch
    {
        DataCategory.CarrierName => "carrier name",
        DataCategory.PhoneNumber => "phone number",
        DataCategory.Imei => "IMEI",
        DataCategory.Contacts => "contacts",
        DataCategory.Sms => "SMS",
        DataCategory.CallLog => "call log",
        DataCategory.Location => "location",
        DataCategory.Photos => "photos",
        _ => "other data",
    };

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
