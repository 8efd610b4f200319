using System.Text.Json;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Auth;

namespace Portal.Web.Features.Circulars;

/// <summary>
/// A second officer approves: the circular is published at once, or at the time given (UTC). Two
/// approvers clicking together: the second meets a changed version and is told so.
/// </summary>
public static class Approve
{
    public sealed record Command : CircularTransition, ICommand<Done>
    {
        /// <summary>Empty to publish now. The form's datetime-local value is read as UTC, as the form says.</summary>
        public DateTime? PublishAt { get; init; }

        public DateTimeOffset? PublishAtUtc => PublishAt is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : null;
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(TimeProvider clock) =>
            RuleFor(c => c.PublishAtUtc)
                .Must(at => at is null || at > clock.GetUtcNow()).WithMessage("The publication time is in the past: leave it empty to publish now, or choose a later time.")
                .Must(at => at is null || at < clock.GetUtcNow().AddYears(1)).WithMessage("Schedule publication within a year.")
                .OverridePropertyName(nameof(Command.PublishAt));
    }

    /// <summary>The audited actions that make someone an author of the text under review.</summary>
    private static readonly string[] ReviewedWork = ["Drafted", "Edited", "AmendmentStarted", "RuleAdded", "RuleRemoved",
        "AudienceUnitAdded", "AudienceUnitRemoved", "SourceAdded", "SourceRemoved", "Submitted", "AmendmentSubmitted"];

    internal sealed class Handler(ICurrentUser user, PortalDbContext db, TimeProvider clock, Publication publication) : ICommandHandler<Command, Done>
    {
        public async ValueTask<Done> Handle(Command request, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            var circular = await db.LoadForChangeAsync(request.Id, request.Version, ct);
            // Four eyes against every hand in the text under review: whoever changed any part of it since the
            // last publication (text, rules, audience, sources), not only whoever changed it last.
            var since = await db.AuditEvents.Where(e => e.EntityType == nameof(Circular) && e.EntityId == circular.Id && e.Action == "Published")
                .MaxAsync(e => (long?)e.ChainPosition, ct) ?? 0;
            if (await db.AuditEvents.AnyAsync(e => e.EntityType == nameof(Circular) && e.EntityId == circular.Id && e.ChainPosition > since
                    && e.ActorId == user.Id && ReviewedWork.Contains(e.Action), ct))
                throw new DomainException("You changed part of this text under review, so you cannot approve it: a second officer must.");
            var publishNow = circular.Approve(user.Id, now, request.PublishAtUtc);
            db.Audit(circular, publishNow ? "Approved" : "ApprovedScheduled", user.Id, now,
                data: publishNow ? null : JsonSerializer.Serialize(new { publishAt = request.PublishAtUtc }));
            if (publishNow)
                await publication.PublishAsync(circular, user.Id, now, ct);
            await db.SaveChangesAsync(ct);
            return Done.Value;
        }
    }
}
