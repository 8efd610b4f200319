using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Portal.Web.Domain;
using Portal.Web.Features.Acknowledgements;
using Portal.Web.Features.Notifications.Mail;
using Portal.Web.Infrastructure.Localization;
using Portal.Web.Infrastructure.Startup;
using Portal.Web.Infrastructure.Web;

namespace Portal.Web.Features.Notifications;

public sealed record EmailContent(string Subject, string Text, string Html);

/// <summary>
/// What a message needs beyond its notification and revision, looked up by the dispatcher: for a family
/// member, the revision that asked them to acknowledge (a minor amendment or a reminder names a later
/// revision that asked nobody); for an escalation, who in the commander's units is still outstanding.
/// </summary>
public sealed record MessageFacts(int? AskedRevision = null, Outstanding.Result? Outstanding = null, ExemptedDevice? Device = null)
{
    public static readonly MessageFacts None = new();
}

/// <summary>The device an exemption-ended alert names: the IMEI masked, as commanders always see it.</summary>
public sealed record ExemptedDevice(string MaskedImei, string Phone, string Owner, string Unit);

/// <summary>
/// The words of one notification, from the published revision it names, in the reader's language (docs/decisions/0070).
/// Staff read the circular's essentials and a link to it; family members only ever see the family summary and
/// their personal acknowledgement link (never the full text, never internal notes); commanders get an escalation
/// with the people still outstanding in their units. A TLP:RED circular's sections never leave the portal.
/// HTML comes from the Razor templates in Features/Notifications/Mail; the plain-text part says the same without
/// Markdown symbols, and the fixed words of both come from Text.resx like every page's.
/// </summary>
public sealed partial class MessageComposer(
    IOptions<PortalOptions> options, FamilyLinks familyLinks, MarkdownRenderer markdown, IStringLocalizer<Text> t, ViewRenderer views)
{
    public const int SmsMaxLength = 320;

    /// <summary>People named in an escalation; the rest are counted and left to the acknowledgements page.</summary>
    public const int EscalationListLength = 50;

    private const string Templates = "~/Features/Notifications/Mail/";

    private string BaseUrl => options.Value.BaseUrl.TrimEnd('/');

    private enum Reader { Staff, Family, Commander, Vendor, Case, ExemptionEnded }

    private static Reader ReaderOf(Notification n) =>
        n.DependentId is not null ? Reader.Family : n.Purpose switch
        {
            NotificationPurpose.Escalation => Reader.Commander,
            NotificationPurpose.VendorCase => Reader.Vendor,
            NotificationPurpose.CaseActivity or NotificationPurpose.CaseDeadline => Reader.Case,
            NotificationPurpose.ExemptionExpired => Reader.ExemptionEnded,
            _ => Reader.Staff,
        };

    public static string MessageId(long notificationId, string baseUrl) => $"<notification-{notificationId}@{new Uri(baseUrl).Host}>";

    public string MessageId(Notification n) => MessageId(n.Id, BaseUrl);

    public async Task<EmailContent> EmailAsync(Notification n, CircularRevision r, MessageFacts facts)
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = Languages.Culture(n.Language);
        return ReaderOf(n) switch
        {
            Reader.Family => await FamilyEmailAsync(n, r, facts),
            Reader.Commander => await CommanderEmailAsync(r, facts.Outstanding),
            Reader.Vendor => await VendorEmailAsync(r),
            Reader.Case => await CaseEmailAsync(n, r),
            Reader.ExemptionEnded => await ExemptionEndedEmailAsync(r, facts.Device),
            _ => await StaffEmailAsync(n, r),
        };
    }

    public string Sms(Notification n, CircularRevision r, MessageFacts facts)
    {
        using var _ = Languages.Use(n.Language);
        var prefix = Prefix(n.Purpose);
        return ReaderOf(n) switch
        {
            Reader.Family => FamilySms(n, r, facts, prefix),
            Reader.Commander => Fit($"{r.ReferenceNumber} ", OneLine(r.Text.Title), $": {OutstandingText(facts.Outstanding?.Total)} {AcknowledgementsUrl(r)}"),
            _ => Fit($"{prefix}{r.ReferenceNumber} ", OneLine(r.Text.Title), $" ({t[r.Text.Severity.Words()]}). {t["Please read and acknowledge by {0}:", Date(r)]} {CircularUrl(r)}"),
        };
    }

    /// <summary>The personal link is long (a signed token), so the summary is shortened first, then dropped, then the words around the link.</summary>
    private string FamilySms(Notification n, CircularRevision r, MessageFacts facts, string prefix)
    {
        var url = FamilyUrl(n, r, facts);
        var notice = t["Phone safety notice:"].Value;
        var head = $"{prefix}{notice} ";
        var tail = $" ({r.ReferenceNumber}) {t["Confirm you have read it:"]} {url}";
        var worded = r.Text.FamilySummaryIn(n.Language);
        // Said before the summary, so shortening the summary never cuts it.
        if (!worded.InReadersLanguage)
            head += t["(in English)"] + " ";
        var summary = OneLine(markdown.PlainText(worded.Text));
        if (head.Length + summary.Length + tail.Length <= SmsMaxLength || SmsMaxLength - head.Length - tail.Length >= 20)
            return Fit(head, summary, tail);
        return new[] { head + tail.TrimStart(), $"{prefix}{notice} ({r.ReferenceNumber}) {url}", $"{notice} {url}" }
            .FirstOrDefault(text => text.Length <= SmsMaxLength) ?? url;
    }

    /// <summary>A vendor's users hear that a case opened for them: the circular's reference, title and where to answer, nothing more.</summary>
    private async Task<EmailContent> VendorEmailAsync(CircularRevision r)
    {
        var mail = new VendorMail($"{t["Vendor case opened"]}: [{r.ReferenceNumber}] {r.Text.Title}", r.ReferenceNumber, r.Text.Title, $"{BaseUrl}/vendor-cases");
        var text = new StringBuilder()
            .AppendLine(t["A circular naming your organisation's products has been published: {0} ({1}).", r.Text.Title, r.ReferenceNumber]).AppendLine()
            .AppendLine(t["Please tell us, model by model, whether they are affected and of any fix, on your cases page:"])
            .AppendLine(mail.Url).AppendLine()
            .AppendLine(t["This is an automatic message; replies are not read."]);
        return new EmailContent(mail.Subject, text.ToString(), await views.RenderAsync(Templates + "VendorEmail.cshtml", mail));
    }

    /// <summary>
    /// News on a vendor case (a claim, a review, a message) or its coming deadline: the circular's reference and title and
    /// the cases page, nothing of what was said, which is read in the portal.
    /// </summary>
    private async Task<EmailContent> CaseEmailAsync(Notification n, CircularRevision r)
    {
        var deadline = n.Purpose == NotificationPurpose.CaseDeadline;
        var subject = $"{t[deadline ? "Vendor case deadline" : "News on a vendor case"]}: [{r.ReferenceNumber}] {r.Text.Title}";
        var lead = deadline
            ? t["The answer to the vendor case on {0} ({1}) is due soon.", r.Text.Title, r.ReferenceNumber].Value
            : t["There is news on the vendor case on {0} ({1}).", r.Text.Title, r.ReferenceNumber].Value;
        var mail = new CaseMail(subject, lead, $"{BaseUrl}/vendor-cases");
        var text = new StringBuilder()
            .AppendLine(lead).AppendLine()
            .AppendLine($"{t["Open the case in the portal"]}: {mail.Url}").AppendLine()
            .AppendLine(t["This is an automatic message; replies are not read."]);
        return new EmailContent(subject, text.ToString(), await views.RenderAsync(Templates + "CaseEmail.cshtml", mail));
    }

    /// <summary>
    /// The commander who asked for an exemption hears that it ended: which device (IMEI masked, model, owner, unit),
    /// under which circular, and where to see their units' flagged devices.
    /// </summary>
    private async Task<EmailContent> ExemptionEndedEmailAsync(CircularRevision r, ExemptedDevice? device)
    {
        var subject = $"{Prefix(NotificationPurpose.ExemptionExpired)}[{r.ReferenceNumber}] {device?.Phone ?? r.Text.Title}";
        var mail = new ExemptionEndedMail(subject, r.ReferenceNumber, r.Text.Title, device?.MaskedImei, device?.Phone, device?.Owner, device?.Unit,
            $"{BaseUrl}/devices/compliance?status=Flagged");
        var text = new StringBuilder()
            .AppendLine(t["The exemption you asked for has ended: the device is flagged again under this circular."]).AppendLine()
            .AppendLine($"{r.ReferenceNumber}: {r.Text.Title}");
        if (device is not null)
            text.AppendLine($"{t["Device"]}: {device.Phone}, IMEI {device.MaskedImei}")
                .AppendLine($"{t["Owner"]}: {device.Owner} ({device.Unit})");
        text.AppendLine().AppendLine(t["Have the phone replaced or removed, or ask for a new exemption."])
            .AppendLine($"{t["Flagged devices in your units"]}: {mail.Url}").AppendLine()
            .AppendLine(t["This is an automatic message; replies are not read."]);
        return new EmailContent(subject, text.ToString(), await views.RenderAsync(Templates + "ExemptionEndedEmail.cshtml", mail));
    }

    private async Task<EmailContent> StaffEmailAsync(Notification n, CircularRevision r)
    {
        var title = r.Text.TitleIn(n.Language);
        var actions = r.Text.RequiredActionsIn(n.Language);
        var subject = $"{Prefix(n.Purpose)}[{r.ReferenceNumber}] {title.Text}";
        var amended = n.Purpose == NotificationPurpose.Amended && r.ChangeSummary.Length > 0 ? r.ChangeSummary : null;
        var mail = new StaffMail(subject, r.Text.Tlp.Display(), title.Text, r.ReferenceNumber, t[r.Text.Severity.Words()], Date(r),
            r.Text.Tlp == TlpLabel.Red, amended, r.Text.Summary, actions.Text, CircularUrl(r))
        {
            TitleLanguage = title.Language,
            ActionsLanguage = actions.Language,
            TranslationMissing = !title.InReadersLanguage || !actions.InReadersLanguage,
        };

        var text = new StringBuilder()
            .AppendLine(mail.Tlp).AppendLine()
            .AppendLine(mail.Title)
            .AppendLine($"{t["Reference"]}: {mail.Reference}")
            .AppendLine($"{t["Severity"]}: {mail.Severity}")
            .AppendLine($"{t["Acknowledge by"]}: {mail.Deadline}")
            .AppendLine();
        if (mail.TranslationMissing)
            text.AppendLine(t["This circular has not been translated into your language yet, so it is shown in English."]).AppendLine();
        if (mail.RedOnlyInPortal)
            text.AppendLine(t["This circular is TLP:RED: its text is shown only in the portal."]).AppendLine();
        else
        {
            if (amended is not null)
                text.AppendLine(t["What changed"]).AppendLine(amended).AppendLine();
            text.AppendLine(t["Summary"]).AppendLine(markdown.PlainText(r.Text.Summary)).AppendLine()
                .AppendLine(t["Required actions"]).AppendLine(markdown.PlainText(mail.RequiredActions)).AppendLine();
        }
        text.AppendLine($"{t["Read and acknowledge"]}: {mail.Url}").AppendLine().AppendLine(t["This is an automatic message; replies are not read."]);
        return new EmailContent(subject, text.ToString(), await views.RenderAsync(Templates + "StaffEmail.cshtml", mail));
    }

    private async Task<EmailContent> FamilyEmailAsync(Notification n, CircularRevision r, MessageFacts facts)
    {
        var subject = $"{Prefix(n.Purpose)}{t["Phone safety notice for your family"]} ({r.ReferenceNumber})";
        var summary = r.Text.FamilySummaryIn(n.Language);
        var mail = new FamilyMail(subject, r.ReferenceNumber, summary.Text, Date(r), FamilyUrl(n, r, facts),
            TranslationMissing: !summary.InReadersLanguage) { SummaryLanguage = summary.Language };
        var text = new StringBuilder()
            .AppendLine(t["The security unit that looks after your family member's service has issued this notice for families:"]).AppendLine();
        if (mail.TranslationMissing)
            text.AppendLine(t["This notice has not been translated into your language yet, so it is shown in English."]).AppendLine();
        text.AppendLine(markdown.PlainText(summary.Text)).AppendLine()
            .AppendLine(t["Please read it and confirm that you have, by {0}.", mail.Deadline])
            .AppendLine($"{t["Open your notice"]}: {mail.Url}").AppendLine()
            .AppendLine(t["The link is for you alone; please do not forward this message."])
            .AppendLine(t["This is an automatic message; replies are not read."]);
        return new EmailContent(subject, text.ToString(), await views.RenderAsync(Templates + "FamilyEmail.cshtml", mail));
    }

    private async Task<EmailContent> CommanderEmailAsync(CircularRevision r, Outstanding.Result? outstanding)
    {
        var count = OutstandingText(outstanding?.Total);
        var subject = $"{t["Escalation"]}: [{r.ReferenceNumber}] {r.Text.Title}: {count.TrimEnd('.', '।')}";
        var people = (outstanding?.People ?? []).Take(EscalationListLength).Select(Describe).ToList();
        var mail = new CommanderMail(subject, count, r.ReferenceNumber, r.Text.Title, Date(r), people, (outstanding?.Total ?? 0) - people.Count, AcknowledgementsUrl(r));
        var text = new StringBuilder()
            .AppendLine(count).AppendLine()
            .AppendLine($"{r.ReferenceNumber}: {r.Text.Title}")
            .AppendLine($"{t["Acknowledge by"]}: {mail.Deadline}")
            .AppendLine();
        if (people.Count > 0)
        {
            text.AppendLine($"{t["Still to acknowledge"]}:");
            foreach (var person in people)
                text.AppendLine("- " + person);
            if (mail.More > 0)
                text.AppendLine("- " + t["and {0} more", mail.More]);
            text.AppendLine();
        }
        text.AppendLine($"{t["Who has and has not acknowledged"]}: {mail.Url}").AppendLine().AppendLine(t["This is an automatic message; replies are not read."]);
        return new EmailContent(subject, text.ToString(), await views.RenderAsync(Templates + "CommanderEmail.cshtml", mail));
    }

    private string Describe(Outstanding.Person p) => p.Relationship is null
        ? $"{p.Name} ({p.ServiceNumber}, {p.Unit})"
        : t["{0}, {1} of {2} ({3}, {4})", p.Name, p.Relationship.ToLowerInvariant(), p.StaffName, p.ServiceNumber, p.Unit];

    private string OutstandingText(int? outstanding) => outstanding switch
    {
        null => t["People in your units have not yet acknowledged this circular."],
        1 => t["1 person in your units has not acknowledged."],
        var count => t["{0} people in your units have not acknowledged.", count],
    };

    private string Prefix(NotificationPurpose purpose) => purpose switch
    {
        NotificationPurpose.Reminder => t["Reminder"] + ": ",
        NotificationPurpose.Amended => t["Amended"] + ": ",
        NotificationPurpose.DeviceFlagged => t["Your registered phone is covered"] + ": ",
        NotificationPurpose.ExemptionExpired => t["Device exemption ended"] + ": ",
        _ => "",
    };

    private string CircularUrl(CircularRevision r) => $"{BaseUrl}/circulars/{r.CircularId}";

    private string AcknowledgementsUrl(CircularRevision r) => $"{BaseUrl}/circulars/{r.CircularId}/acknowledgements";

    private string FamilyUrl(Notification n, CircularRevision r, MessageFacts facts) =>
        familyLinks.CreateUrl(r.CircularId, facts.AskedRevision ?? r.Number, n.DependentId!.Value);

    /// <summary>A date as people write it in the reader's language: "15 December 2026", "15 दिसंबर 2026".</summary>
    private static string Date(CircularRevision r) => r.Text.AcknowledgementDeadline.ToString("d MMMM yyyy", CultureInfo.CurrentCulture);

    private static string OneLine(string text) => Whitespace().Replace(text, " ").Trim();

    /// <summary>Shortens the middle part so the whole stays within one long SMS; the reference and the link are never cut.</summary>
    private static string Fit(string head, string middle, string tail)
    {
        var room = SmsMaxLength - head.Length - tail.Length;
        if (middle.Length > room)
            middle = room > 1 ? middle[..(room - 1)].TrimEnd() + "…" : "";
        return (head + middle + tail).Trim();
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
