using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Features.Notifications;
using Portal.Web.Infrastructure.Localization;
using Portal.Web.Infrastructure.Startup;
using Portal.Web.Infrastructure.Web;

namespace Portal.Web.Features.VendorMembership;

/// <summary>What the escalation e-mail shows: the requests still unanswered after 3 days, as they are when it is sent.</summary>
public sealed record EscalationMail(string Subject, string Count, IReadOnlyList<EscalationMail.Item> Items, string Url)
{
    public sealed record Item(string Name, string Organisation, string Since, string Url);
}

/// <summary>
/// The notices a membership round queues for every administrator (in-app and e-mail, addressed to the account, naming no
/// circular), and the e-mail the dispatcher writes when it sends one: the escalated requests still pending then, in the
/// administrator's language (HTML from Features/Notifications/Mail/MembershipEscalationEmail.cshtml). When every request
/// was answered or expired meanwhile, nothing is sent.
/// </summary>
public sealed class EscalationMessages(PortalDbContext db, TimeProvider clock, IOptions<PortalOptions> options, IStringLocalizer<Text> t, ViewRenderer views)
{
    public const int Listed = 50;

    /// <summary>Queues the notices, set-based, in the round's transaction; answers how many rows it wrote.</summary>
    public static Task<int> QueueAsync(PortalDbContext db, DateTimeOffset now, CancellationToken ct) => db.Database.ExecuteSqlAsync($"""
        INSERT INTO notifications (circular_id, revision_number, purpose, channel, user_id, address, language, state, attempts,
                                   next_attempt_at, created_at, sent_at)
        SELECT NULL, 0, 'MembershipEscalation', ch.channel, u.id, ch.address, u.language,
               CASE WHEN ch.channel = 'InApp' THEN 'Sent' ELSE 'Pending' END, 0,
               CASE WHEN ch.channel = 'InApp' THEN NULL ELSE {now} END, {now},
               CASE WHEN ch.channel = 'InApp' THEN {now} END
        FROM users u
        CROSS JOIN LATERAL (VALUES ('InApp', NULL), ('Email', u.email)) AS ch(channel, address)
        WHERE EXISTS (SELECT 1 FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = u.id AND r.name = {Roles.Administrator})
          AND (ch.channel = 'InApp' OR ch.address IS NOT NULL)
        """, ct);

    public async Task<EmailContent?> ComposeAsync(Notification n)
    {
        var now = clock.GetUtcNow();
        var waiting = db.Set<VendorMembershipRequest>().AsNoTracking()
            .Where(r => r.State == MembershipRequestState.Pending && r.EscalatedAt != null && r.ExpiresAt > now);
        var total = await waiting.CountAsync();
        if (total == 0)
            return null;
        var rows = await waiting.OrderBy(r => r.RequestedAt).Take(Listed)
            .Select(r => new
            {
                r.UserId, r.RequestedAt,
                Name = db.Users.Where(u => u.Id == r.UserId).Select(u => u.DisplayName).First(),
                Organisation = db.VendorOrganisations.Where(v => v.Id == r.VendorOrganisationId).Select(v => v.Name).First(),
            })
            .ToListAsync();
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = Languages.Culture(n.Language);
        var baseUrl = options.Value.BaseUrl.TrimEnd('/');
        var count = total == 1 ? t["1 request to join a vendor organisation is unanswered after 3 days"].Value
            : t["{0} requests to join a vendor organisation are unanswered after 3 days", total.ToString("N0")].Value;
        var mail = new EscalationMail($"{t["Vendor membership requests waiting"]}: {total.ToString("N0")}", count,
            rows.Select(r => new EscalationMail.Item(r.Name, r.Organisation, r.RequestedAt.ToString("d MMMM yyyy"), $"{baseUrl}/admin/users/{r.UserId}")).ToList(),
            $"{baseUrl}/");
        var text = new StringBuilder().AppendLine(mail.Count).AppendLine();
        foreach (var item in mail.Items)
            text.AppendLine($"- {item.Name} → {item.Organisation}, {t["asked on"]} {item.Since}").AppendLine($"  {item.Url}");
        text.AppendLine().AppendLine(t["Place the person in the organisation on their user page, or ask the organisation's administrator to answer."])
            .AppendLine().AppendLine(t["This is an automatic message; replies are not read."]);
        return new EmailContent(mail.Subject, text.ToString(), await views.RenderAsync("~/Features/Notifications/Mail/MembershipEscalationEmail.cshtml", mail));
    }
}
