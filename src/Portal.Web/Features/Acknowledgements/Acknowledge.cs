using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Web;
using Portal.Web.Features.Circulars;
using Portal.Web.Infrastructure.Telemetry;
using Portal.Web.Infrastructure.Auth;

namespace Portal.Web.Features.Acknowledgements;

/// <summary>
/// A staff member acknowledges the circular they have open, naming the revision they read. A revision
/// that is no longer current is refused (they must read the new one); a second click changes nothing.
/// One UPDATE, batched with the clicks of the same moment: an acknowledgement storm costs an index lookup per click.
/// </summary>
public static class Acknowledge
{
    public sealed record Command : ICommand<Done>, IOwnTransaction
    {
        public Guid CircularId { get; set; }
        public int? Revision { get; init; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.Revision).NotNull().WithMessage("Say which revision you read.");
    }

    internal sealed class Handler(PortalDbContext db, ICurrentUser user, AcknowledgementBatches batches, TimeProvider clock) : ICommandHandler<Command, Done>
    {
        public async ValueTask<Done> Handle(Command request, CancellationToken ct)
        {
            // The click that counts is written first, with the other clicks and links of the same moment: one statement
            // that checks everything the questions below ask (docs/decisions/0061-acknowledgement-storm-and-dashboards-at-full-scale.md).
            // Only when it acknowledged nothing are they asked, to say why; they change nothing.
            var read = request.Revision!.Value;
            if (await batches.StaffAsync(request.CircularId, user.Id, read, clock.GetUtcNow()))
            {
                PortalTelemetry.Acknowledged("Portal");
                return Done.Value;
            }
            // Someone not asked to acknowledge (not a reader of it, not in its audience, no staff record) learns
            // nothing, not even that it exists or at which revision it stands: the same 404 as for no circular at all.
            var staffMember = await db.StaffMembers.AsNoTracking().Where(s => s.UserId == user.Id).Select(s => (Guid?)s.Id).FirstOrDefaultAsync(ct)
                ?? throw new NotFoundException("The circular");
            var asked = await db.AcknowledgementRequests.AnyAsync(a => a.CircularId == request.CircularId && a.StaffMemberId == staffMember && a.DependentId == null, ct);
            if (!asked
                && await db.Circulars.AsNoTracking().VisibleTo(await Reader.ForAsync(db, user, ct)).AnyAsync(c => c.Id == request.CircularId && c.CurrentRevisionId != null, ct))
                throw new DomainException("This circular does not ask you to acknowledge it: your unit is not in its audience.");
            var current = asked
                ? await db.Circulars.AsNoTracking().Where(c => c.Id == request.CircularId && c.CurrentRevisionId != null)
                    .Select(c => (int?)c.CurrentRevisionNumber).FirstOrDefaultAsync(ct)
                : null;
            if (current is null)
                throw new NotFoundException("The circular");
            if (request.Revision != current)
                throw new DomainException(new Sentence("You read revision {0}, but the circular is now at revision {1}. Read the current revision, then acknowledge it.", request.Revision, current));
            // A second click: already answered, nothing to do. Otherwise a material amendment was published between
            // the click and these questions (a new request for the new revision is never answered by the old one).
            var answered = await db.AcknowledgementRequests.AnyAsync(a => a.CircularId == request.CircularId && a.StaffMemberId == staffMember
                && a.DependentId == null && a.RevisionNumber <= read && a.AcknowledgedAt != null, ct);
            if (!answered)
                throw new DomainException("The circular changed while you were reading it. Read the current revision, then acknowledge it.");
            return Done.Value;
        }
    }
}

/// <summary>Where the signed-in staff member stands with a circular: asked, acknowledged, which revision.</summary>
public static class MyAcknowledgement
{
    public sealed record Query(Guid CircularId) : IRequest<Result?>;

    public sealed record Result(int AskedRevision, DateTimeOffset? AcknowledgedAt, int? AcknowledgedRevision, int CurrentRevision, DateOnly Deadline);

    /// <summary>
    /// The person's latest request for the circular, through their staff record (one indexed lookup each: the
    /// circular page asks it for every reader at the peak; docs/decisions/0062-the-circular-page-at-the-peak.md).
    /// $1: the circular, $2: the account. The circular page's batch sends the same statement.
    /// </summary>
    public const string Sql = """
        SELECT a.revision_number, a.acknowledged_at, a.acknowledged_revision, c.current_revision_number, r.acknowledgement_deadline
        FROM acknowledgement_requests a
        JOIN circulars c ON c.id = a.circular_id
        JOIN circular_revisions r ON r.id = c.current_revision_id
        WHERE a.circular_id = $1 AND a.dependent_id IS NULL
          AND a.staff_member_id = (SELECT s.id FROM staff_members s WHERE s.user_id = $2)
        ORDER BY a.revision_number DESC
        LIMIT 1
        """;

    public static async Task<Result?> ReadAsync(Npgsql.NpgsqlDataReader reader, CancellationToken ct) =>
        await reader.ReadAsync(ct)
            ? new Result(reader.GetInt32(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1),
                reader.IsDBNull(2) ? null : reader.GetInt32(2), reader.GetInt32(3), reader.GetFieldValue<DateOnly>(4))
            : null;

    internal sealed class Handler(ICurrentUser user, PortalDbContext db, PageFacts facts) : IRequestHandler<Query, Result?>
    {
        public async ValueTask<Result?> Handle(Query request, CancellationToken ct)
        {
            if (facts.TryMine(user.Id, request.CircularId, out var held))
                return held;
            var connection = (Npgsql.NpgsqlConnection)db.Database.GetDbConnection();
            await db.Database.OpenConnectionAsync(ct);
            try
            {
                await using var command = new Npgsql.NpgsqlCommand(Sql, connection)
                {
                    Parameters = { new Npgsql.NpgsqlParameter { Value = request.CircularId }, new Npgsql.NpgsqlParameter { Value = user.Id } },
                };
                await using var reader = await command.ExecuteReaderAsync(ct);
                return await ReadAsync(reader, ct);
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }
}
