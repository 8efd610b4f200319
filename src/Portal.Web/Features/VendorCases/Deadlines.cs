using System.ComponentModel.DataAnnotations;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Infrastructure.Auth;
using Portal.Web.Infrastructure.Background;
using Portal.Web.Infrastructure.Pipeline;

namespace Portal.Web.Features.VendorCases;

/// <summary>The "Portal:VendorCases:Deadlines" settings.</summary>
public sealed class CaseDeadlineOptions
{
    public const string Section = "Portal:VendorCases:Deadlines";

    /// <summary>Days before a case's response deadline on which its vendor's users are reminded, if the case has no answer yet.</summary>
    public int[] ReminderDays { get; set; } = [3, 1];

    [Range(10, 24 * 3600)]
    public int IntervalSeconds { get; set; } = 900;
}

/// <summary>
/// A case is answered once the vendor has said anything: a statement, a model status other than unknown, or a claim.
/// The one definition, shared by the reminders, the officers' overdue flag and the circular page's list.
/// </summary>
public static class CaseAnswers
{
    public static IQueryable<VendorCase> Unanswered(this PortalDbContext db, IQueryable<VendorCase> cases) =>
        cases.Where(c => c.Models.All(m => m.Status == ModelStatus.Unknown)
            && !db.CaseStatements.Any(s => s.CaseId == c.Id)
            && !db.RemediationClaims.Any(r => r.CaseId == c.Id));
}

/// <summary>
/// Reminds the vendor's users of an unanswered case before its deadline, on each configured day (3 and 1 days before by
/// default). Each round is claimed in vendor_case_reminders in the same statement that queues its notices, so it runs
/// once per case however many instances look; a round whose window passed while the app was down is not sent late
/// (the next, nearer one is). One statement per round for every case, never a loop over cases.
/// </summary>
public static class RemindDeadlines
{
    public sealed record Command : ICommand<int>;

    internal sealed class Handler(PortalDbContext db, TimeProvider clock, IOptions<CaseDeadlineOptions> options) : ICommandHandler<Command, int>
    {
        public async ValueTask<int> Handle(Command request, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            var today = DateOnly.FromDateTime(now.UtcDateTime);
            var days = options.Value.ReminderDays.Where(d => d >= 0).Distinct().OrderDescending().ToArray();
            var sent = 0;
            for (var i = 0; i < days.Length; i++)
            {
                var day = days[i];
                // The window of this round ends where the next, nearer round's begins.
                var nearest = i + 1 < days.Length ? days[i + 1] + 1 : 0;
                sent += await db.Database.ExecuteSqlAsync($"""
                    WITH due AS (
                        INSERT INTO vendor_case_reminders (case_id, days_before, ran_at, notifications)
                        SELECT vc.id, {day}, {now}, 0
                        FROM vendor_cases vc
                        JOIN circulars c ON c.id = vc.circular_id AND c.status = 'Published'
                        WHERE vc.response_due_on - {today} BETWEEN {nearest} AND {day}
                          AND NOT EXISTS (SELECT 1 FROM vendor_case_models m WHERE m.case_id = vc.id AND m.status <> 'Unknown')
                          AND NOT EXISTS (SELECT 1 FROM vendor_case_statements s WHERE s.case_id = vc.id)
                          AND NOT EXISTS (SELECT 1 FROM remediation_claims r WHERE r.case_id = vc.id)
                        ON CONFLICT DO NOTHING
                        RETURNING case_id
                    )
                    INSERT INTO notifications (circular_id, revision_number, purpose, channel, user_id, address, language, state, attempts,
                                               next_attempt_at, created_at, sent_at)
                    SELECT c.id, c.current_revision_number, 'CaseDeadline', ch.channel, u.id, ch.address, u.language,
                           CASE WHEN ch.channel = 'InApp' THEN 'Sent' ELSE 'Pending' END, 0,
                           CASE WHEN ch.channel = 'InApp' THEN NULL ELSE {now} END, {now},
                           CASE WHEN ch.channel = 'InApp' THEN {now} END
                    FROM due
                    JOIN vendor_cases vc ON vc.id = due.case_id
                    JOIN circulars c ON c.id = vc.circular_id
                    JOIN users u ON u.vendor_organisation_id = vc.vendor_organisation_id
                    CROSS JOIN LATERAL (VALUES ('InApp', NULL), ('Email', u.email)) AS ch(channel, address)
                    WHERE EXISTS (SELECT 1 FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = u.id AND r.name = {Roles.Vendor})
                      AND (ch.channel = 'InApp' OR ch.address IS NOT NULL)
                    """, ct);
            }
            return sent;
        }
    }
}

internal sealed class DeadlineReminding(IServiceScopeFactory scopes, IOptions<CaseDeadlineOptions> options, ILogger<DeadlineReminding> logger)
    : PeriodicCommand<RemindDeadlines.Command, int>(scopes, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromSeconds(options.Value.IntervalSeconds);

    protected override void Report(ILogger logger, int result)
    {
        if (result > 0)
            logger.LogInformation("Queued {Notices} vendor-case deadline reminders", result);
    }
}

/// <summary>The vendors that have not answered a circular's cases (no statement, no status, no claim), for officers, approvers and auditors.</summary>
public sealed class UnansweredVendorsViewComponent(ICurrentUser user, PortalDbContext db, TimeProvider clock) : ViewComponent
{
    public sealed record Row(Guid CaseId, string Vendor, DateOnly DueOn, bool Overdue);

    public async Task<IViewComponentResult> InvokeAsync(Guid circularId)
    {
        if (!(user.CanReadDrafts || user.IsInRole(Roles.Auditor)))
            return Content("");
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var rows = await db.Unanswered(db.VendorCases.AsNoTracking().Where(c => c.CircularId == circularId))
            .OrderBy(c => c.ResponseDueOn)
            .Select(c => new Row(c.Id, db.VendorOrganisations.Where(v => v.Id == c.VendorOrganisationId).Select(v => v.Name).First(), c.ResponseDueOn, c.ResponseDueOn < today))
            .ToListAsync();
        var cases = await db.VendorCases.CountAsync(c => c.CircularId == circularId);
        return cases == 0 ? Content("") : View("~/Features/VendorCases/UnansweredVendors.cshtml", ((IReadOnlyList<Row>)rows, cases));
    }
}
