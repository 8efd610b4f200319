using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;

namespace Portal.Web.Features.Dashboards;

/// <summary>
/// Recounts the dashboard tallies from the rows they summarise. The triggers keep them right under every
/// INSERT, UPDATE and DELETE, but not under TRUNCATE or a restore of some tables only: this puts them right
/// again (`Portal.Web rebuild-tallies`). Writers wait meanwhile (SHARE lock), readers do not.
/// </summary>
public static class RebuildTallies
{
    public sealed record Command : ICommand<Done>;

    internal sealed class Handler(PortalDbContext db) : ICommandHandler<Command, Done>
    {
        public async ValueTask<Done> Handle(Command request, CancellationToken ct)
        {
            await db.Database.ExecuteSqlRawAsync(Sql, ct);
            return Done.Value;
        }
    }

    /// <summary>The same counts the triggers keep, from scratch. Runs inside the command's transaction.</summary>
    public const string Sql = """
        LOCK TABLE acknowledgement_requests, notifications IN SHARE MODE;
        DELETE FROM acknowledgement_tallies;
        DELETE FROM acknowledgement_hours;
        DELETE FROM acknowledgement_days;
        DELETE FROM delivery_tallies;
        INSERT INTO acknowledgement_tallies (circular_id, revision_number, unit_id, staff_asked, staff_acknowledged, family_asked, family_acknowledged)
        SELECT circular_id, revision_number, unit_id,
               count(*) FILTER (WHERE dependent_id IS NULL),
               count(*) FILTER (WHERE dependent_id IS NULL AND acknowledged_at IS NOT NULL),
               count(*) FILTER (WHERE dependent_id IS NOT NULL),
               count(*) FILTER (WHERE dependent_id IS NOT NULL AND acknowledged_at IS NOT NULL)
        FROM acknowledgement_requests GROUP BY 1, 2, 3;
        INSERT INTO acknowledgement_hours (circular_id, revision_number, unit_id, hour, acknowledged)
        SELECT circular_id, revision_number, unit_id, date_trunc('hour', acknowledged_at, 'UTC'), count(*)
        FROM acknowledgement_requests WHERE acknowledged_at IS NOT NULL GROUP BY 1, 2, 3, 4;
        INSERT INTO acknowledgement_days (circular_id, revision_number, unit_id, day, acknowledged)
        SELECT circular_id, revision_number, unit_id, (acknowledged_at AT TIME ZONE 'UTC')::date, count(*)
        FROM acknowledgement_requests WHERE acknowledged_at IS NOT NULL GROUP BY 1, 2, 3, 4;
        INSERT INTO delivery_tallies (circular_id, revision_number, unit_id, channel, pending, sent, failed, bounced)
        SELECT circular_id, revision_number, unit_id, channel,
               count(*) FILTER (WHERE state = 'Pending'), count(*) FILTER (WHERE state = 'Sent'),
               count(*) FILTER (WHERE state = 'Failed'), count(*) FILTER (WHERE state = 'Bounced')
        FROM notifications WHERE circular_id IS NOT NULL AND unit_id IS NOT NULL GROUP BY 1, 2, 3, 4;
        """;
}
