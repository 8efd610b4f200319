using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Telemetry;

namespace Portal.Web.Features.Acknowledgements;

/// <summary>
/// A staff member acknowledges the circular they have open, naming the revision they read. A revision
/// that is no longer current is refused (they must read the new one); a second click changes nothing.
/// One UPDATE on one row: an acknowledgement storm costs an index lookup per click.
/// </summary>
public static class Acknowledge
{
    public sealed record Command : ICommand<Done>
    {
        public Guid CircularId { get; set; }
        public Guid UserId { get; set; }
        public int? Revision { get; init; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.Revision).NotNull().WithMessage("Say which revision you read.");
    }

    internal sealed class Handler(PortalDbContext db, TimeProvider clock) : ICommandHandler<Command, Done>
    {
        public async ValueTask<Done> Handle(Command request, CancellationToken ct)
        {
            var current = await db.Circulars.AsNoTracking().Where(c => c.Id == request.CircularId && c.CurrentRevisionId != null)
                .Select(c => (int?)c.CurrentRevisionNumber).FirstOrDefaultAsync(ct)
                ?? throw new DomainException("This circular has not been published.");
            if (request.Revision != current)
                throw new DomainException($"You read revision {request.Revision}, but the circular is now at revision {current}. Read the current revision, then acknowledge it.");
            var staffMember = await db.StaffMembers.AsNoTracking().Where(s => s.UserId == request.UserId).Select(s => (Guid?)s.Id).FirstOrDefaultAsync(ct)
                ?? throw new DomainException("Your account is not linked to a staff record, so there is nothing to acknowledge.");
            // The revision read is checked again inside the statement: a material amendment published since the check
            // above must not have its new request marked as read (the request of the revision read is, if any).
            var updated = await db.Database.ExecuteSqlAsync($"""
                UPDATE acknowledgement_requests SET acknowledged_at = {clock.GetUtcNow()}, acknowledged_revision = {current}, channel = 'Portal'
                WHERE id = (SELECT a.id FROM acknowledgement_requests a JOIN circulars c ON c.id = a.circular_id
                            WHERE a.circular_id = {request.CircularId} AND a.staff_member_id = {staffMember} AND a.dependent_id IS NULL
                              AND c.current_revision_number = {current} AND a.revision_number <= {current}
                            ORDER BY a.revision_number DESC LIMIT 1)
                  AND acknowledged_at IS NULL
                """, ct);
            if (updated == 1)
                PortalTelemetry.Acknowledged("Portal");
            if (updated == 0)
            {
                var now = await db.Circulars.AsNoTracking().Where(c => c.Id == request.CircularId).Select(c => c.CurrentRevisionNumber).FirstAsync(ct);
                if (now != current)
                    throw new DomainException($"You read revision {request.Revision}, but the circular is now at revision {now}. Read the current revision, then acknowledge it.");
                var asked = await db.AcknowledgementRequests.AnyAsync(a => a.CircularId == request.CircularId && a.StaffMemberId == staffMember && a.DependentId == null, ct);
                if (!asked)
                    throw new DomainException("This circular does not ask you to acknowledge it: your unit is not in its audience.");
            }
            return Done.Value;
        }
    }
}

/// <summary>Where the signed-in staff member stands with a circular: asked, acknowledged, which revision.</summary>
public static class MyAcknowledgement
{
    public sealed record Query(Guid CircularId, Guid UserId) : IRequest<Result?>;

    public sealed record Result(int AskedRevision, DateTimeOffset? AcknowledgedAt, int? AcknowledgedRevision, int CurrentRevision, DateOnly Deadline);

    internal sealed class Handler(PortalDbContext db) : IRequestHandler<Query, Result?>
    {
        // Compiled: the circular page asks it for every reader at the peak (docs/decisions/0060-circular-page-and-acknowledgement-storm.md).
        private static readonly Func<PortalDbContext, Guid, Guid, CancellationToken, Task<Result?>> Mine =
            EF.CompileAsyncQuery((PortalDbContext db, Guid circularId, Guid userId, CancellationToken ct) =>
                db.AcknowledgementRequests.AsNoTracking()
                    .Where(a => a.CircularId == circularId && a.DependentId == null
                        && db.StaffMembers.Any(s => s.Id == a.StaffMemberId && s.UserId == userId))
                    .OrderByDescending(a => a.RevisionNumber)
                    .Select(a => new Result(a.RevisionNumber, a.AcknowledgedAt, a.AcknowledgedRevision,
                        db.Circulars.Where(c => c.Id == a.CircularId).Select(c => c.CurrentRevisionNumber).First(),
                        db.Circulars.Where(c => c.Id == a.CircularId).Select(c => c.CurrentRevision!.AcknowledgementDeadline).First()))
                    .FirstOrDefault());

        public async ValueTask<Result?> Handle(Query request, CancellationToken ct) => await Mine(db, request.CircularId, request.UserId, ct);
    }
}
