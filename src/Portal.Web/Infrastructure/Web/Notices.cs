using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Portal.Web.Domain;

namespace Portal.Web.Infrastructure.Web;

/// <summary>
/// The notice after a change ("Account for {0} created."), shown once on the next page by the layout. It travels as
/// its English template and values and is translated there, in the reader's language (docs/decisions/0072).
/// </summary>
public static class Notices
{
    private const string Key = "Notice";
    private const string ValuesKey = "NoticeValues";
    // Temp data keeps strings; the values travel joined by a character no form field lets through (control characters are refused).
    private const char Separator = '\u001f';
    // Marks a value that is itself words from the resources (a file type's description), said in the reader's language.
    private const char Words = '\u001e';

    public static void Notice(this Controller controller, string template, params string?[] values)
    {
        controller.TempData[Key] = template;
        if (values.Length > 0)
            controller.TempData[ValuesKey] = string.Join(Separator, values.Select(v => v ?? ""));
    }

    /// <summary>A value for <see cref="Notice"/> that is fixed English words ("PDF document"), translated where the notice is shown.</summary>
    public static string Translated(string words) => Words + words;

    /// <summary>The notice waiting for this page, if any; reading it uses it up.</summary>
    public static Sentence? TakeNotice(this ITempDataDictionary tempData) =>
        tempData[Key] is string template
            ? new Sentence(template, tempData[ValuesKey] is string values
                ? values.Split(Separator).Select(v => v.StartsWith(Words) ? new Sentence(v[1..]) : (object)v).ToArray()
                : [])
            : null;
}
