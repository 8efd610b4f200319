namespace Portal.Web.Features.Acknowledgements;

/// <summary>The fixed wording of the family page in the languages families chose; English when a language is missing.</summary>
public static class FamilyText
{
    private static readonly Dictionary<string, Dictionary<string, string>> Texts = new()
    {
        ["en"] = new()
        {
            ["heading"] = "A security notice for your family",
            ["intro"] = "Your family member's unit asks you to read this notice.",
            ["deadline"] = "Please confirm by",
            ["button"] = "I have read this notice",
            ["thanks"] = "Thank you. You confirmed on",
            ["forged"] = "This link is not valid. Check that you copied all of it, or ask your family member for a new one.",
            ["expired"] = "This link has expired. Ask your family member's unit for a new one.",
            ["gone"] = "This notice is no longer available.",
            ["superseded"] = "This notice has been updated since this link was sent. Please use the newer message you received.",
        },
        ["hi"] = new()
        {
            ["heading"] = "आपके परिवार के लिए एक सुरक्षा सूचना",
            ["intro"] = "आपके परिवार के सदस्य की यूनिट आपसे यह सूचना पढ़ने का अनुरोध करती है।",
            ["deadline"] = "कृपया इस तिथि तक पुष्टि करें",
            ["button"] = "मैंने यह सूचना पढ़ ली है",
            ["thanks"] = "धन्यवाद। आपने पुष्टि की",
            ["forged"] = "यह लिंक मान्य नहीं है। जाँचें कि आपने पूरा लिंक कॉपी किया है, या अपने परिवार के सदस्य से नया लिंक माँगें।",
            ["expired"] = "इस लिंक की अवधि समाप्त हो गई है। अपने परिवार के सदस्य की यूनिट से नया लिंक माँगें।",
            ["gone"] = "यह सूचना अब उपलब्ध नहीं है।",
            ["superseded"] = "यह लिंक भेजे जाने के बाद सूचना अद्यतन की गई है। कृपया प्राप्त नए संदेश का उपयोग करें।",
        },
    };

    public static string Get(string language, string key) =>
        (Texts.TryGetValue(language, out var texts) && texts.TryGetValue(key, out var text)) ? text : Texts["en"][key];

    public static string Lang(string language) => Texts.ContainsKey(language) ? language : "en";
}
