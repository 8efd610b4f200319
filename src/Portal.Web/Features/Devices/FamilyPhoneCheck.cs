using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Features.Acknowledgements;
using Mediator;
using Portal.Web.Infrastructure.Localization;
using Portal.Web.Infrastructure.Web;

namespace Portal.Web.Features.Devices;

/// <summary>
/// A family member types their phone's IMEI on their link page and learns one thing: whether THIS circular bans
/// it. Never which model the portal thinks it is, other circulars, references or rules, and never whether anyone
/// registered the phone (docs/decisions/0051-device-impact-preview-and-family-check.md).
/// </summary>
public static class FamilyPhoneCheck
{
    public const string ItemKey = "family-phone-check";

    public sealed record Query(string Token, string? Imei) : IRequest<Result>;

    public enum Verdict { Banned, Restricted, NotBanned, DependsOnSoftware, CannotTell }

    /// <summary>What was typed (cut short, to show it again), and either the verdict or the problem with it.</summary>
    public sealed record Result(string Typed, Verdict? Verdict, string? Problem);

    internal sealed class Handler(PortalDbContext db, FamilyLinks links) : IRequestHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query request, CancellationToken ct)
        {
            var typed = (request.Imei ?? "").Trim();
            typed = typed.Length > 40 ? typed[..40] : typed;
            var (claim, _) = links.Read(request.Token);
            if (claim is null)
                return new Result(typed, null, null);
            if ((request.Imei?.Length ?? 0) > 40)
                return new Result(typed, null, TooLong);
            var imei = Imeis.Normalise(typed, out var problem);
            if (imei is null)
                return new Result(typed, null, problem!.StartsWith("An IMEI has 15 digits", StringComparison.Ordinal) ? TooLong : problem);

            var tac = Imeis.Tac(imei);
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            await db.Database.OpenConnectionAsync(ct);
            try
            {
                await using var command = new NpgsqlCommand(Sql, connection);
                command.Parameters.AddWithValue("circular", claim.CircularId);
                command.Parameters.AddWithValue("tac", tac);
                await using var reader = await command.ExecuteReaderAsync(ct);
                var known = false;
                var modelTerms = 0;
                var matches = new List<(string Action, bool Bounded)>();
                while (await reader.ReadAsync(ct))
                {
                    known = reader.GetBoolean(0);
                    modelTerms = reader.GetInt32(1);
                    if (!reader.IsDBNull(2))
                        matches.Add((reader.GetString(2), reader.GetBoolean(3)));
                }
                var verdict =
                    matches.Any(m => m is { Action: nameof(RuleAction.Banned), Bounded: false }) ? Verdict.Banned
                    : matches.Any(m => m.Action == nameof(RuleAction.Banned)) ? Verdict.DependsOnSoftware
                    : matches.Any(m => m.Action == nameof(RuleAction.Restricted)) ? Verdict.Restricted
                    : !known && modelTerms > 0 ? Verdict.CannotTell
                    : Verdict.NotBanned;
                return new Result(typed, verdict, null);
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }

        private const string TooLong = "An IMEI has 15 digits (16 with the software version): check that you typed all of it, and only it.";

        /// <summary>
        /// One row per rule of this circular that covers the phone (or one row of nulls), with whether the catalogue
        /// knows the TAC and how many of the circular's rules name makers or models (which an unknown TAC cannot rule out).
        /// </summary>
        private const string Sql = """
            WITH model AS (SELECT id, manufacturer_id FROM device_models WHERE tacs @> ARRAY[@tac::text] ORDER BY id LIMIT 1),
            terms AS (
                SELECT t.* FROM device_rule_terms t JOIN circulars c ON c.id = t.circular_id AND c.status = 'Published'
                WHERE t.circular_id = @circular
            )
            SELECT EXISTS (SELECT 1 FROM model),
                   (SELECT count(*)::int FROM terms WHERE whole_manufacturer OR cardinality(model_ids) > 0 OR pattern_regex IS NOT NULL),
                   t.action, t.firmware_below_key IS NOT NULL
            FROM (SELECT 1) AS one
            LEFT JOIN terms t ON EXISTS (SELECT 1 FROM model m WHERE m.id = ANY (t.model_ids) OR (t.whole_manufacturer AND t.manufacturer_id = m.manufacturer_id))
                OR EXISTS (SELECT 1 FROM device_rule_tacs x WHERE x.circular_id = t.circular_id AND x.position = t.position
                           AND x.tac_prefix IN (left(@tac, 6), left(@tac, 7), @tac))
            """;
    }
}

/// <summary>The check on the family link page: the form, and the answer after a check.</summary>
public sealed class FamilyPhoneCheckViewComponent : ViewComponent
{
    public IViewComponentResult Invoke(string token) =>
        View("~/Features/Devices/FamilyPhoneCheck.cshtml", (token, HttpContext.Items[FamilyPhoneCheck.ItemKey] as FamilyPhoneCheck.Result));
}

/// <summary>
/// Like the acknowledgement, the link is the credential and the request carries no cookie authority: no
/// antiforgery token, the same rate limit as the other anonymous doors. The answer is the family page itself.
/// </summary>
[AllowAnonymous]
public sealed class FamilyPhoneCheckController(IMediator mediator) : Controller
{
    [EnableRateLimiting(Hardening.AnonymousDoors)]
    [IgnoreAntiforgeryToken]
    [HttpPost("family/{token}/check")]
    public async Task<IActionResult> Check(string? token, [FromForm] string? imei, CancellationToken ct)
    {
        var notice = await mediator.Send(new FamilyNotice.Query(token ?? ""), ct);
        var check = notice.Outcome is FamilyNotice.Outcome.Open or FamilyNotice.Outcome.Acknowledged
            ? await mediator.Send(new FamilyPhoneCheck.Query(token!, imei), ct)
            : null;
        HttpContext.Items[FamilyPhoneCheck.ItemKey] = check;
        Response.StatusCode = notice.Outcome switch
        {
            FamilyNotice.Outcome.Forged => StatusCodes.Status400BadRequest,
            FamilyNotice.Outcome.Expired => StatusCodes.Status410Gone,
            FamilyNotice.Outcome.Gone => StatusCodes.Status404NotFound,
            _ when check?.Problem is not null => StatusCodes.Status400BadRequest,
            _ => StatusCodes.Status200OK,
        };
        var view = View("~/Features/Acknowledgements/Family.cshtml", notice);
        return Request.Cookies.ContainsKey(LocalizationRegistration.CookieName) ? view : view.InLanguage(notice.Language);
    }
}
