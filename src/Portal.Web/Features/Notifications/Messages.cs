using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Portal.Web.Domain;
using Portal.Web.Features.Acknowledgements;
using Portal.Web.Infrastructure.Startup;
using Portal.Web.Infrastructure.Web;

namespace Portal.Web.Features.Notifications;

public sealed record EmailContent(string Subject, string Text, string Html);

/// <summary>
/// What a message needs beyond its notification and revision, looked up by the dispatcher: for a family
/// member, the revision that asked them to acknowledge (a minor amendment or a reminder names a later
/// revision that asked nobody); for an escalation, who in the commander's units is still outstanding.
/// </summary>
public sealed record MessageFacts(int? AskedRevision = null, Outstanding.Result? Outstanding = null)
{
    public static readonly MessageFacts None = new();
}

/// <summary>
/// The words of one notification, from the published revision it names. Staff read the circular's
/// essentials and a link to it; family members only ever see the family summary and their personal
/// acknowledgement link (never the full text, never internal notes); commanders get an escalation with
/// the people still outstanding in their units. A TLP:RED circular's sections never leave the portal.
/// </summary>
public sealed partial class MessageComposer(IOptions<PortalOptions> options, FamilyLinks familyLinks, MarkdownRenderer markdown)
{
    public const int SmsMaxLength = 320;

    /// <summary>People named in an escalation; the rest are counted and left to the acknowledgements page.</summary>
    public const int EscalationListLength = 50;

    private string BaseUrl => options.Value.BaseUrl.TrimEnd('/');

    private enum Reader { Staff, Family, Commander, Vendor }

    private static Reader ReaderOf(Notification n) =>
        n.DependentId is not null ? Reader.Family : n.Purpose switch
        {
            NotificationPurpose.Escalation => Reader.Commander,
            NotificationPurpose.VendorCase => Reader.Vendor,
            _ => Reader.Staff,
        };

    public static string MessageId(long notificationId, string baseUrl) => $"<notification-{notificationId}@{new Uri(baseUrl).Host}>";

    public string MessageId(Notification n) => MessageId(n.Id, BaseUrl);

    public EmailContent Email(Notification n, CircularRevision r, MessageFacts facts) => ReaderOf(n) switch
    {
        Reader.Family => FamilyEmail(n, r, facts),
        Reader.Commander => CommanderEmail(r, facts.Outstanding),
        Reader.Vendor => VendorEmail(r),
        _ => StaffEmail(n, r),
    };

    public string Sms(Notification n, CircularRevision r, MessageFacts facts)
    {
        var w = Wording.For(n.Language);
        var prefix = Prefix(n.Purpose, w);
        return ReaderOf(n) switch
        {
            Reader.Family => FamilySms(n, r, facts, w, prefix),
            Reader.Commander => Fit($"{r.ReferenceNumber} ", OneLine(r.Title), $": {OutstandingText(facts.Outstanding?.Total)} {AcknowledgementsUrl(r)}"),
            _ => Fit($"{prefix}{r.ReferenceNumber} ", OneLine(r.Title), $" ({r.Severity}). {string.Format(CultureInfo.InvariantCulture, w.SmsRead, Date(r))} {CircularUrl(r)}"),
        };
    }

    /// <summary>The personal link is long (a signed token), so the summary is shortened first, then dropped, then the words around the link.</summary>
    private string FamilySms(Notification n, CircularRevision r, MessageFacts facts, Wording w, string prefix)
    {
        var url = FamilyUrl(n, r, facts);
        var head = $"{prefix}{w.SmsFamily} ";
        var tail = $" ({r.ReferenceNumber}) {w.SmsFamilyAcknowledge} {url}";
        var summary = OneLine(r.FamilySummary);
        if (head.Length + summary.Length + tail.Length <= SmsMaxLength || SmsMaxLength - head.Length - tail.Length >= 20)
            return Fit(head, summary, tail);
        return new[] { head + tail.TrimStart(), $"{prefix}{w.SmsFamily} ({r.ReferenceNumber}) {url}", $"{w.SmsFamily} {url}" }
            .FirstOrDefault(text => text.Length <= SmsMaxLength) ?? url;
    }

    /// <summary>A vendor's users hear that a case opened for them: the circular's reference, title and where to answer, nothing more.</summary>
    private EmailContent VendorEmail(CircularRevision r)
    {
        var subject = $"Vendor case opened: [{r.ReferenceNumber}] {r.Title}";
        var url = $"{BaseUrl}/vendor-cases";
        var text = $"""
            A circular naming your organisation's products has been published: {r.Title} ({r.ReferenceNumber}).

            Please tell us, model by model, whether they are affected and of any fix, on your cases page:
            {url}

            This message was sent automatically by the Advisory Portal.
            """;
        var html = new HtmlBuilder("en", subject)
            .Paragraph($"A circular naming your organisation's products has been published: <strong>{Encode(r.Title)}</strong> ({Encode(r.ReferenceNumber)}).")
            .Paragraph($"Please tell us, model by model, whether they are affected and of any fix, on <a href=\"{Encode(url)}\">your cases page</a>.")
            .Small("This message was sent automatically by the Advisory Portal.");
        return new EmailContent(subject, text, html.ToString());
    }

    private EmailContent StaffEmail(Notification n, CircularRevision r)
    {
        var w = Wording.For(n.Language);
        var subject = $"{Prefix(n.Purpose, w)}[{r.ReferenceNumber}] {r.Title}";
        var red = r.Tlp == TlpLabel.Red;
        var amended = n.Purpose == NotificationPurpose.Amended && r.ChangeSummary.Length > 0;
        var url = CircularUrl(r);

        var text = new StringBuilder()
            .AppendLine(r.Tlp.Display())
            .AppendLine()
            .AppendLine(r.Title)
            .AppendLine($"{w.Reference}: {r.ReferenceNumber}")
            .AppendLine($"{w.Severity}: {r.Severity}")
            .AppendLine($"{w.AcknowledgeBy}: {Date(r)}")
            .AppendLine();
        if (red)
            text.AppendLine(w.RedOnlyInPortal).AppendLine();
        else
        {
            if (amended)
                text.AppendLine(w.WhatChanged).AppendLine(r.ChangeSummary).AppendLine();
            text.AppendLine(w.Summary).AppendLine(r.Summary).AppendLine()
                .AppendLine(w.RequiredActions).AppendLine(r.RequiredActions).AppendLine();
        }
        text.AppendLine($"{w.ReadInPortal}: {url}").AppendLine().AppendLine(w.Automatic);

        var html = new HtmlBuilder(n.Language, subject)
            .Paragraph($"<strong>{Encode(r.Tlp.Display())}</strong>")
            .Raw($"<h1 style=\"font-size:1.25em\">{Encode(r.Title)}</h1>")
            .Raw($"<table role=\"presentation\"><tr><th align=\"left\">{Encode(w.Reference)}</th><td>{Encode(r.ReferenceNumber)}</td></tr>"
                 + $"<tr><th align=\"left\">{Encode(w.Severity)}</th><td>{r.Severity}</td></tr>"
                 + $"<tr><th align=\"left\">{Encode(w.AcknowledgeBy)}</th><td>{Date(r)}</td></tr></table>");
        if (red)
            html.Paragraph(Encode(w.RedOnlyInPortal));
        else
        {
            if (amended)
                html.Section(w.WhatChanged, Encode(r.ChangeSummary));
            html.Section(w.Summary, Markdown(r.Summary)).Section(w.RequiredActions, Markdown(r.RequiredActions));
        }
        html.Paragraph($"<a href=\"{Encode(url)}\">{Encode(w.ReadInPortal)}</a>").Small(w.Automatic);
        return new EmailContent(subject, text.ToString(), html.ToString());
    }

    private EmailContent FamilyEmail(Notification n, CircularRevision r, MessageFacts facts)
    {
        var w = Wording.For(n.Language);
        var subject = $"{Prefix(n.Purpose, w)}{w.FamilySubject} ({r.ReferenceNumber})";
        var url = FamilyUrl(n, r, facts);
        var acknowledge = string.Format(CultureInfo.InvariantCulture, w.FamilyAcknowledge, Date(r));
        var text = new StringBuilder()
            .AppendLine(w.FamilyIntro).AppendLine()
            .AppendLine(r.FamilySummary).AppendLine()
            .AppendLine(acknowledge).AppendLine(url).AppendLine()
            .AppendLine(w.FamilyPersonal).AppendLine(w.Automatic);
        var html = new HtmlBuilder(n.Language, subject)
            .Paragraph(Encode(w.FamilyIntro))
            .Raw(Markdown(r.FamilySummary))
            .Paragraph($"{Encode(acknowledge)}<br><a href=\"{Encode(url)}\">{Encode(url)}</a>")
            .Small(w.FamilyPersonal + " " + w.Automatic);
        return new EmailContent(subject, text.ToString(), html.ToString());
    }

    private EmailContent CommanderEmail(CircularRevision r, Outstanding.Result? outstanding)
    {
        var w = Wording.English;
        var count = OutstandingText(outstanding?.Total);
        var subject = $"Escalation: [{r.ReferenceNumber}] {r.Title}: {count.TrimEnd('.')}";
        var url = AcknowledgementsUrl(r);
        var people = (outstanding?.People ?? []).Take(EscalationListLength).Select(Describe).ToList();
        var more = (outstanding?.Total ?? 0) - people.Count;
        var text = new StringBuilder()
            .AppendLine(count)
            .AppendLine()
            .AppendLine($"{r.ReferenceNumber}: {r.Title}")
            .AppendLine($"{w.AcknowledgeBy}: {Date(r)}")
            .AppendLine();
        var html = new HtmlBuilder("en", subject)
            .Paragraph($"<strong>{Encode(count)}</strong>")
            .Paragraph($"{Encode(r.ReferenceNumber)}: {Encode(r.Title)}<br>{Encode(w.AcknowledgeBy)}: {Date(r)}");
        if (people.Count > 0)
        {
            text.AppendLine("Still to acknowledge:");
            foreach (var person in people)
                text.AppendLine("- " + person);
            if (more > 0)
                text.AppendLine($"- and {more} more");
            text.AppendLine();
            html.Section("Still to acknowledge", "<ul>" + string.Concat(people.Select(p => $"<li>{Encode(p)}</li>"))
                + (more > 0 ? $"<li>and {more} more</li>" : "") + "</ul>");
        }
        text.AppendLine($"Who has and has not acknowledged: {url}").AppendLine().AppendLine(w.Automatic);
        html.Paragraph($"<a href=\"{Encode(url)}\">Who has and has not acknowledged</a>").Small(w.Automatic);
        return new EmailContent(subject, text.ToString(), html.ToString());
    }

    private static string Describe(Outstanding.Person p) => p.Relationship is null
        ? $"{p.Name} ({p.ServiceNumber}, {p.Unit})"
        : $"{p.Name}, {p.Relationship.ToLowerInvariant()} of {p.StaffName} ({p.ServiceNumber}, {p.Unit})";

    private static string OutstandingText(int? outstanding) => outstanding switch
    {
        null => "People in your units have not yet acknowledged this circular.",
        1 => "1 person in your units has not acknowledged.",
        var count => $"{count} people in your units have not acknowledged.",
    };

    private static string Prefix(NotificationPurpose purpose, Wording w) => purpose switch
    {
        NotificationPurpose.Reminder => w.Reminder + ": ",
        NotificationPurpose.Amended => w.Amended + ": ",
        _ => "",
    };

    private string CircularUrl(CircularRevision r) => $"{BaseUrl}/circulars/{r.CircularId}";

    private string AcknowledgementsUrl(CircularRevision r) => $"{BaseUrl}/circulars/{r.CircularId}/acknowledgements";

    private string FamilyUrl(Notification n, CircularRevision r, MessageFacts facts) =>
        familyLinks.CreateUrl(r.CircularId, facts.AskedRevision ?? r.Number, n.DependentId!.Value);

    private static string Date(CircularRevision r) => r.AcknowledgementDeadline.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private string Markdown(string text)
    {
        using var writer = new StringWriter();
        markdown.Render(text).WriteTo(writer, HtmlEncoder.Default);
        return writer.ToString();
    }

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

    private sealed class HtmlBuilder
    {
        private readonly StringBuilder _html = new();

        public HtmlBuilder(string language, string title) =>
            _html.Append($"<!DOCTYPE html><html lang=\"{Encode(language)}\"><head><meta charset=\"utf-8\"><title>{Encode(title)}</title></head>")
                .Append("<body style=\"font-family:sans-serif;line-height:1.4;max-width:40em\">");

        public HtmlBuilder Raw(string html)
        {
            _html.Append(html);
            return this;
        }

        public HtmlBuilder Paragraph(string html) => Raw($"<p>{html}</p>");

        public HtmlBuilder Section(string heading, string html) => Raw($"<h2 style=\"font-size:1.1em\">{Encode(heading)}</h2>{html}");

        public HtmlBuilder Small(string text) => Raw($"<p style=\"color:#555;font-size:0.85em\">{Encode(text)}</p>");

        public override string ToString() => _html + "</body></html>";
    }
}
