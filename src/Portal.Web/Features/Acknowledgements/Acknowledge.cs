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

    internal sealed class Handler(ICurrentUser user, PortalDbContext db) : IRequestHandler<Query, Result?>
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
                        db.Circulars.Where(c => c.Id == a.CircularId).Select(c => c.CurrentRevision!.Text.AcknowledgementDeadline).First()))
                    .FirstOrDefault());

        public async ValueTask<Result?> Handle(Query request, CancellationToken ct) => await Mine(db, request.CircularId, user.Id, ct);
    }
}
