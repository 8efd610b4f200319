using Portal.Web.Domain;

namespace Portal.Web.Features.Staleness;

/// <summary>Case events as people say them; the words are keys of Text.resx.</summary>
public static class StaleWords
{
    public static string Words(this CaseEventKind kind) => kind switch
    {
        CaseEventKind.Statement => "Statement",
        CaseEventKind.ModelStatusSet => "Model status set",
        CaseEventKind.ClaimSubmitted => "Remediation claimed",
        CaseEventKind.ClaimReviewed => "Claim reviewed",
        CaseEventKind.RetestRecorded => "Re-test recorded",
        CaseEventKind.FixVerified => "Fix verified",
        CaseEventKind.RelocationCompleted => "Relocation completed",
        _ => "Message",
    };
}
