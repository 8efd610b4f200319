using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Features.Notifications;
using Portal.Web.Infrastructure.Background;
using Portal.Web.Infrastructure.Localization;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Startup;
using Portal.Web.Infrastructure.Web;

namespace Portal.Web.Features.Staleness;

/// <summary>The "Portal:Staleness" settings.</summary>
public sealed class StalenessOptions
{
    public const string Section = "Portal:Staleness";

    /// <summary>The hour (UTC) from which the day's digest of stale circulars goes to the security officers.</summary>
    [Range(0, 23)]
    public int DigestHourUtc { get; set; } = 6;

    /// <summary>How often an instance looks whether the day's digest is due.</summary>
    [Range(1, 86400)]
    public int IntervalSeconds { get; set; } = 300;
}

public static class StalenessSetup
{
    public static IServiceCollection AddPortalStaleness(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StalenessOptions>().Bind(configuration.GetSection(StalenessOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<CaseRecords>();
        services.AddScoped<DigestMessages>();
        services.AddHostedService<Digesting>();
        return services;
    }
}

/// <summary>
/// Once a day, from <see cref="StalenessOptions.DigestHourUtc"/>, every security officer with an e-mail address is sent a
/// digest of the stale circulars, through the notification outbox; only when something is stale. The day is claimed
/// in stale_digest_rounds in the same transaction, so it runs once however many instances look, and a day the app was
/// down is not made up for later.
/// </summary>
public static class DigestDue
{
    public sealed record Command : ICommand<Result>;

    /// <param name="Ran">Whether this call claimed the day.</param>
    public sealed record Result(bool Ran, int Notifications);

    internal sealed class Handler(PortalDbContext db, TimeProvider clock, IOptions<StalenessOptions> options) : ICommandHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command request, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            if (now.UtcDateTime.Hour < options.Value.DigestHourUtc)
                return new Result(false, 0);
            var day = DateOnly.FromDateTime(now.UtcDateTime);
            var claimed = await db.Database.ExecuteSqlAsync($"""
                INSERT INTO stale_digest_rounds (day, ran_at, notifications) VALUES ({day}, {now}, 0) ON CONFLICT (day) DO NOTHING
                """, ct);
            if (claimed == 0)
                return new Result(false, 0);
            if (!await StaleEvents.Of(db).AnyAsync(ct))
                return new Result(true, 0);
            var sent = await db.Database.ExecuteSqlAsync($"""
                INSERT INTO notifications (circular_id, revision_number, purpose, channel, user_id, unit_id, address, language,
                                           state, attempts, next_attempt_at, created_at)
                SELECT NULL, 0, 'StaleDigest', 'Email', u.id, u.unit_id, u.email, u.language, 'Pending', 0, {now}, {now}
                FROM users u
                WHERE u.email IS NOT NULL
                  AND EXISTS (SELECT 1 FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = u.id AND r.name = {Roles.SecurityOfficer})
                """, ct);
            await db.Database.ExecuteSqlAsync($"UPDATE stale_digest_rounds SET notifications = {sent} WHERE day = {day}", ct);
            return new Result(true, sent);
        }
    }
}

internal sealed class Digesting(IServiceScopeFactory scopes, IOptions<StalenessOptions> options, ILogger<Digesting> logger)
    : PeriodicCommand<DigestDue.Command, DigestDue.Result>(scopes, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.IntervalSeconds);

    protected override void Report(ILogger logger, DigestDue.Result result)
    {
        if (result.Notifications > 0)
            logger.LogInformation("Queued the stale-circulars digest for {Officers} officers", result.Notifications);
    }
}

/// <summary>What the digest e-mail shows: the stale circulars as they are when it is sent.</summary>
public sealed record DigestMail(string Subject, string Count, IReadOnlyList<DigestMail.Item> Items, int More, string Url)
{
    public sealed record Item(string Title, string Events, string Since, string Url);
}

/// <summary>
/// Writes a digest when the dispatcher sends it, in the officer's language, from the stale circulars of that moment
/// (a circular amended meanwhile is no longer listed). The HTML comes from Features/Notifications/Mail/StaleDigestEmail.cshtml.
/// </summary>
public sealed class DigestMessages(PortalDbContext db, IOptions<PortalOptions> options, IStringLocalizer<Text> t, ViewRenderer views)
{
    public const int Listed = 50;

    public async Task<EmailContent?> ComposeAsync(Notification n)
    {
        var all = await new StaleList.Handler(db).Handle(new StaleList.Query(), CancellationToken.None);
        var result = all with { Rows = all.Rows.Take(Listed).ToList() };
        if (result.Total == 0)
            return null;
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = Languages.Culture(n.Language);
        var baseUrl = options.Value.BaseUrl.TrimEnd('/');
        var count = result.Total == 1 ? t["1 circular has vendor news not yet considered"].Value : t["{0} circulars have vendor news not yet considered", result.Total.ToString("N0")].Value;
        var mail = new DigestMail($"{t["Stale circulars"]}: {result.Total.ToString("N0")}", count,
            result.Rows.Select(r => new DigestMail.Item($"{r.Reference} {r.Title}".Trim(), t["{0} events not considered", r.Events.ToString("N0")],
                r.Oldest.ToString("d MMMM yyyy"), $"{baseUrl}/circulars/{r.CircularId}")).ToList(),
            result.Total - result.Rows.Count, $"{baseUrl}/circulars/stale");
        var text = new StringBuilder().AppendLine(mail.Count).AppendLine();
        foreach (var item in mail.Items)
            text.AppendLine($"- {item.Title}: {item.Events}, {t["stale since"]} {item.Since}").AppendLine($"  {item.Url}");
        if (mail.More > 0)
            text.AppendLine(t["and {0} more", mail.More]);
        text.AppendLine().AppendLine($"{t["All stale circulars"]}: {mail.Url}").AppendLine().AppendLine(t["This is an automatic message; replies are not read."]);
        return new EmailContent(mail.Subject, text.ToString(), await views.RenderAsync("~/Features/Notifications/Mail/StaleDigestEmail.cshtml", mail));
    }
}
