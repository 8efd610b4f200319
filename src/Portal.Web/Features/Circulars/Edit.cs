using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Web;
using Portal.Web.Infrastructure.Auth;

namespace Portal.Web.Features.Circulars;

/// <summary>An officer changes a draft. The form carries the version it was read at; a stale form is refused.</summary>
public static class Edit
{
    public sealed record Query(Guid Id) : IRequest<Command>;

    public sealed record Command : CircularForm, ICommand<Done>
    {
        public Guid Id { get; set; }
        public uint Version { get; init; }
        public string? ReferenceNumber { get; init; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(TimeProvider clock) => Include(new CircularFormValidator(clock));
    }

    internal sealed class QueryHandler(PortalDbContext db) : IRequestHandler<Query, Command>
    {
        public async ValueTask<Command> Handle(Query request, CancellationToken ct)
        {
            var circular = await db.Circulars.AsNoTracking().FirstOrDefaultAsync(c => c.Id == request.Id, ct)
                ?? throw new NotFoundException("The circular");
            if (circular.EditingRefusal() is { } refusal)
                throw new DomainException(refusal);
            return CircularForm.From(circular, new Command { Id = circular.Id, Version = circular.Version, ReferenceNumber = circular.ReferenceNumber });
        }
    }

    internal sealed class Handler(ICurrentUser user, PortalDbContext db, TimeProvider clock) : ICommandHandler<Command, Done>
    {
        public async ValueTask<Done> Handle(Command request, CancellationToken ct)
        {
            var circular = await db.LoadForChangeAsync(request.Id, request.Version, ct);
            var now = clock.GetUtcNow();
            circular.Revise(request.ToContent(), user.Id, now);
            // Recorded, so four eyes can see every editor of the text under review, not only the last one.
            db.Audit(circular, "Edited", user.Id, now);
            await db.SaveChangesAsync(ct);
            return Done.Value;
        }
    }
}
