using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Xml;
using Markdig;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Features.Csaf;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Startup;
using Portal.Web.Infrastructure.Auth;

namespace Portal.Web.Features.Circulars;

/// <summary>
/// The Atom feed (RFC 4287) of published revisions the reader may read, newest first: one entry per
/// revision, so an amendment reaches feed readers as a new entry. Without an account, TLP:CLEAR only.
/// </summary>
public static class Feed
{
    public const int Size = 50;

    public sealed record Query : IRequest<byte[]>;

    private sealed record Entry(Guid RevisionId, Guid CircularId, int Number, string ReferenceNumber, string Title,
        string Summary, Severity Severity, TlpLabel Tlp, DateTimeOffset PublishedAt);

    internal sealed class Handler(ICurrentUser user, PortalDbContext db, IOptions<PortalOptions> portal, IOptions<CsafOptions> csaf, TimeProvider clock)
        : IRequestHandler<Query, byte[]>
    {
        private const string Atom = "http://www.w3.org/2005/Atom";
        private static readonly MarkdownPipeline Plain = new MarkdownPipelineBuilder().DisableHtml().Build();

        public async ValueTask<byte[]> Handle(Query request, CancellationToken ct)
        {
            var reader = await Reader.ForAsync(db, user, ct);
            var entries = await db.PublishedRevisionsVisibleTo(reader).AsNoTracking()
                .OrderByDescending(r => r.PublishedAt).ThenByDescending(r => r.Number).Take(Size)
                .Select(r => new Entry(r.Id, r.CircularId, r.Number, r.ReferenceNumber, r.Title, r.Summary, r.Severity, r.Tlp, r.PublishedAt))
                .ToListAsync(ct);
            var baseUrl = portal.Value.BaseUrl.TrimEnd('/');

            using var stream = new MemoryStream();
            using (var xml = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
            {
                xml.WriteStartDocument();
                xml.WriteStartElement("feed", Atom);
                xml.WriteElementString("id", Atom, baseUrl + "/circulars/feed.atom");
                xml.WriteElementString("title", Atom, "Advisory Portal: circulars");
                xml.WriteElementString("updated", Atom, Date(entries.Count > 0 ? entries[0].PublishedAt : clock.GetUtcNow()));
                Link(xml, "self", "application/atom+xml", baseUrl + "/circulars/feed.atom");
                Link(xml, "alternate", "text/html", baseUrl + "/circulars");
                xml.WriteStartElement("author", Atom);
                xml.WriteElementString("name", Atom, Text(csaf.Value.PublisherName));
                xml.WriteEndElement();
                xml.WriteElementString("generator", Atom, "Advisory Portal");
                foreach (var entry in entries)
                    WriteEntry(xml, entry, baseUrl);
                xml.WriteEndElement();
                xml.WriteEndDocument();
            }
            return stream.ToArray();
        }

        private static void WriteEntry(XmlWriter xml, Entry entry, string baseUrl)
        {
            xml.WriteStartElement("entry", Atom);
            xml.WriteElementString("id", Atom, $"urn:uuid:{entry.RevisionId}");
            var revision = entry.Number > 1 ? $" (revision {entry.Number})" : "";
            xml.WriteElementString("title", Atom, Text($"{entry.ReferenceNumber}{revision}: {entry.Title}"));
            xml.WriteElementString("updated", Atom, Date(entry.PublishedAt));
            Link(xml, "alternate", "text/html", $"{baseUrl}/circulars/{entry.CircularId}");
            Category(xml, entry.Tlp.Display());
            Category(xml, "Severity: " + entry.Severity);
            xml.WriteStartElement("summary", Atom);
            xml.WriteAttributeString("type", "text");
            xml.WriteString(Text(Markdown.ToPlainText(entry.Summary, Plain).Trim()));
            xml.WriteEndElement();
            xml.WriteEndElement();
        }

        private static void Link(XmlWriter xml, string rel, string type, string href)
        {
            xml.WriteStartElement("link", Atom);
            xml.WriteAttributeString("rel", rel);
            xml.WriteAttributeString("type", type);
            xml.WriteAttributeString("href", href);
            xml.WriteEndElement();
        }

        private static void Category(XmlWriter xml, string term)
        {
            xml.WriteStartElement("category", Atom);
            xml.WriteAttributeString("term", term);
            xml.WriteEndElement();
        }

        private static string Date(DateTimeOffset value) =>
            value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

        /// <summary>Circular text may hold characters XML 1.0 cannot carry (control characters); they are dropped, not fatal.</summary>
        private static string Text(string value) =>
            value.All(XmlConvert.IsXmlChar) ? value : new string(value.Where(XmlConvert.IsXmlChar).ToArray());
    }
}
