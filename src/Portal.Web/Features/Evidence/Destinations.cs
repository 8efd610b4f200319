using System.Net;
using System.Net.Sockets;
using System.Security.Claims;
using System.Text;
using System.Text.RegularExpressions;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Features.Circulars;
using Portal.Web.Infrastructure.Web;
using Portal.Web.Infrastructure.Auth;

namespace Portal.Web.Features.Evidence;

/// <summary>One destination a device was seen sending data to, aggregated over the findings that name it.</summary>
public sealed record Destination(string? Host, string? IpAddress, string Country, IReadOnlyList<DataCategory> Categories,
    IReadOnlyList<string> Labs, DateOnly LastTested, bool SentUnencrypted);

/// <summary>
/// What a circular's devices send where, as data. A published circular's destinations are the findings of
/// the evidence its current revision cites, and are part of what every reader of that revision may read
/// (the lab files stay behind <see cref="EvidenceAccess"/>); a draft's are the findings of its evidence not
/// superseded, for officers and approvers only.
/// </summary>
public static partial class Destinations
{
    public sealed record Query(Guid CircularId) : IRequest<Result>;

    public sealed record Result(Guid CircularId, string? ReferenceNumber, string Title, IReadOnlyList<Destination> Rows);

    internal sealed class Handler(ICurrentUser user, PortalDbContext db) : IRequestHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query request, CancellationToken ct)
        {
            var reader = await Reader.ForAsync(db, user, ct);
            var circular = await db.Circulars.AsNoTracking().VisibleTo(reader).Where(c => c.Id == request.CircularId)
                .Select(c => new { c.ReferenceNumber, c.CurrentRevisionId, Title = c.CurrentRevision != null ? c.CurrentRevision.Title : c.Title })
                .FirstOrDefaultAsync(ct) ?? throw new NotFoundException("The circular");
            var rows = await OfAsync(db, request.CircularId, circular.CurrentRevisionId, ct);
            return new Result(request.CircularId, circular.ReferenceNumber, circular.Title, rows);
        }
    }

    /// <summary>The destinations cited by <paramref name="revisionId"/>, or of the working copy's evidence when null.</summary>
    public static async Task<IReadOnlyList<Destination>> OfAsync(PortalDbContext db, Guid circularId, Guid? revisionId, CancellationToken ct)
    {
        var findings = revisionId is { } revision
            ? db.Findings.Where(f => db.CitedEvidence.Any(c => c.RevisionId == revision && c.EvidenceId == f.EvidenceId))
            : db.Findings.Where(f => db.Evidence.Any(e => e.Id == f.EvidenceId && e.CircularId == circularId && e.SupersededAt == null));
        var rows = await (from f in findings.AsNoTracking()
                          join e in db.Evidence.AsNoTracking() on f.EvidenceId equals e.Id
                          select new { f.Host, f.IpAddress, f.Country, f.Category, f.Encrypted, e.Lab, e.TestedOn })
            .ToListAsync(ct);
        return rows
            .GroupBy(r => (r.Host, r.IpAddress, r.Country))
            .Select(g => new Destination(g.Key.Host, g.Key.IpAddress, g.Key.Country,
                g.Select(r => r.Category).Distinct().Order().ToList(),
                g.Select(r => r.Lab).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase).ToList(),
                g.Max(r => r.TestedOn), g.Any(r => !r.Encrypted)))
            .OrderBy(d => d.Host ?? "~" + d.IpAddress, StringComparer.Ordinal).ThenBy(d => d.IpAddress, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Host names, one per line, each once: the form most blocklists and proxies read.</summary>
    public static string Blocklist(Result result)
    {
        var text = new StringBuilder();
        text.Append("# Hosts named by ").Append(Comment(result.ReferenceNumber ?? "draft")).Append(": ").Append(Comment(result.Title)).Append('\n');
        foreach (var host in Hosts(result.Rows))
            text.Append(host).Append('\n');
        return text.ToString();
    }

    /// <summary>
    /// A DNS response policy zone (RPZ) that answers NXDOMAIN ("CNAME .") for each host and its subdomains,
    /// and for each IP address as a response-IP trigger (/32 or /128).
    /// </summary>
    public static string ResponsePolicyZone(Result result, DateTimeOffset now)
    {
        var text = new StringBuilder();
        text.Append("; Response policy zone for ").Append(Comment(result.ReferenceNumber ?? "draft")).Append(": ").Append(Comment(result.Title)).Append('\n');
        text.Append("$TTL 300\n");
        text.Append("@ IN SOA localhost. hostmaster.localhost. ").Append(now.ToUnixTimeSeconds()).Append(" 3600 600 86400 300\n");
        text.Append("@ IN NS localhost.\n");
        foreach (var host in Hosts(result.Rows))
        {
            text.Append(host).Append(" CNAME .\n");
            text.Append("*.").Append(host).Append(" CNAME .\n");
        }
        foreach (var ip in result.Rows.Select(r => r.IpAddress).OfType<string>().Distinct().Order(StringComparer.Ordinal))
            if (ResponseIpTrigger(ip) is { } trigger)
                text.Append(trigger).Append(" CNAME .\n");
        return text.ToString();
    }

    /// <summary>"32.7.113.0.203.rpz-ip" for 203.0.113.7; IPv6 as eight reversed groups after 128.</summary>
    public static string? ResponseIpTrigger(string ip)
    {
        if (!IPAddress.TryParse(ip, out var address))
            return null;
        if (address.AddressFamily == AddressFamily.InterNetwork)
            return "32." + string.Join('.', address.GetAddressBytes().Reverse()) + ".rpz-ip";
        var bytes = address.GetAddressBytes();
        var groups = Enumerable.Range(0, 8).Select(i => ((bytes[2 * i] << 8) | bytes[2 * i + 1]).ToString("x"));
        return "128." + string.Join('.', groups.Reverse()) + ".rpz-ip";
    }

    public static IEnumerable<string?[]> CsvRows(Result result) =>
        result.Rows.Select(d => new string?[]
        {
            d.Host, d.IpAddress, d.Country, string.Join("; ", d.Categories.Select(DataCategories.Display)),
            d.SentUnencrypted ? "yes" : "no", string.Join("; ", d.Labs), d.LastTested.ToString("yyyy-MM-dd"),
        });

    public static readonly IReadOnlyList<string> CsvHeader = ["host", "ip_address", "country", "data_categories", "sent_unencrypted", "labs", "last_tested"];

    /// <summary>Host names exactly as a resolver reads them; anything else never reaches a zone file.</summary>
    private static IEnumerable<string> Hosts(IEnumerable<Destination> rows) =>
        rows.Select(r => r.Host).OfType<string>().Where(h => HostName().IsMatch(h)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);

    private static string Comment(string text) => new(text.Select(ch => char.IsControl(ch) ? ' ' : ch).ToArray());

    [GeneratedRegex(@"^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$")]
    private static partial Regex HostName();
}
