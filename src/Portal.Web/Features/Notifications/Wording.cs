namespace Portal.Web.Features.Notifications;

/// <summary>
/// The fixed words of notification messages, by language. Families get their preferred language
/// (the circular's own text stays as the officer wrote it); any language without wording falls back to English.
/// </summary>
internal sealed record Wording(
    string Reminder,
    string Amended,
    string Reference,
    string Severity,
    string AcknowledgeBy,
    string Summary,
    string RequiredActions,
    string WhatChanged,
    string ReadInPortal,
    string RedOnlyInPortal,
    string FamilySubject,
    string FamilyIntro,
    string FamilyAcknowledge,
    string FamilyPersonal,
    string SmsRead,
    string SmsFamily,
    string SmsFamilyAcknowledge,
    string Automatic)
{
    public static readonly Wording English = new(
        Reminder: "Reminder",
        Amended: "Amended",
        Reference: "Reference",
        Severity: "Severity",
        AcknowledgeBy: "Acknowledge by",
        Summary: "Summary",
        RequiredActions: "Required actions",
        WhatChanged: "What changed",
        ReadInPortal: "Read and acknowledge it in the portal",
        RedOnlyInPortal: "This circular is TLP:RED: its text is shown only in the portal.",
        FamilySubject: "Phone safety notice for your family",
        FamilyIntro: "The security unit that looks after your family member's service has issued this notice for families:",
        FamilyAcknowledge: "Please read it and confirm that you have, by {0}, through this personal link:",
        FamilyPersonal: "The link is for you alone; please do not forward this message.",
        SmsRead: "Please read and acknowledge by {0}:",
        SmsFamily: "Phone safety notice:",
        SmsFamilyAcknowledge: "Confirm you have read it:",
        Automatic: "This is an automatic message; replies are not read.");

    public static readonly Wording Hindi = new(
        Reminder: "अनुस्मारक",
        Amended: "संशोधित",
        Reference: "संदर्भ",
        Severity: "गंभीरता",
        AcknowledgeBy: "पुष्टि की अंतिम तिथि",
        Summary: "सारांश",
        RequiredActions: "आवश्यक कार्रवाई",
        WhatChanged: "क्या बदला है",
        ReadInPortal: "पोर्टल में पढ़ें और पुष्टि करें",
        RedOnlyInPortal: "यह परिपत्र TLP:RED है: इसका पाठ केवल पोर्टल में दिखाया जाता है।",
        FamilySubject: "आपके परिवार के लिए फ़ोन सुरक्षा सूचना",
        FamilyIntro: "आपके परिवार के सदस्य की सेवा की सुरक्षा इकाई ने परिवारों के लिए यह सूचना जारी की है:",
        FamilyAcknowledge: "कृपया इसे पढ़ें और {0} तक इस व्यक्तिगत लिंक से पुष्टि करें कि आपने इसे पढ़ लिया है:",
        FamilyPersonal: "यह लिंक केवल आपके लिए है; कृपया यह संदेश आगे न भेजें।",
        SmsRead: "कृपया {0} तक पढ़ें और पुष्टि करें:",
        SmsFamily: "फ़ोन सुरक्षा सूचना:",
        SmsFamilyAcknowledge: "पढ़ने की पुष्टि करें:",
        Automatic: "यह एक स्वचालित संदेश है; इसके उत्तर पढ़े नहीं जाते।");

    /// <summary>"hi", "hi-IN" and "HI" are Hindi; anything else (or nothing) is English.</summary>
    public static Wording For(string? language) =>
        language?.Split('-', '_')[0].ToLowerInvariant() switch
        {
            "hi" => Hindi,
            _ => English,
        };
}
