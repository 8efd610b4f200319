using FluentValidation;
using Mediator;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Infrastructure.Auth;
using Portal.Web.Infrastructure.Pipeline;

namespace Portal.Web.Features.VendorCases;

/// <summary>A message in the case's thread: the vendor's users write to the officers and the officers answer; the other side is told.</summary>
public static class PostMessage
{
    public sealed record Command : ICommand<Guid>
    {
        public Guid CaseId { get; set; }
        public string? Body { get; init; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Body).NotEmpty().WithMessage("Write the message.")
                .MaximumLength(8000).WithMessage("Keep the message to 8,000 characters or fewer (it has {TotalLength}).");
        }
    }

    internal sealed class Handler(ICurrentUser user, PortalDbContext db, TimeProvider clock) : ICommandHandler<Command, Guid>
    {
        public async ValueTask<Guid> Handle(Command request, CancellationToken ct)
        {
            var fromVendor = !user.IsInRole(Roles.SecurityOfficer);
            var vendorCase = fromVendor
                ? await db.CaseForVendorAsync(user, request.CaseId, ct)
                : await db.CaseForOfficerAsync(user, request.CaseId, ct);
            var now = clock.GetUtcNow();
            var by = await db.ActorIdAsync(user, clock, ct);
            var message = CaseMessage.Post(vendorCase.Id, by, fromVendor, request.Body!, now);
            db.CaseMessages.Add(message);
            db.CaseEvents.Add(CaseEvent.Record(vendorCase, CaseEventKind.Message, message.Id, by, now,
                $"{(fromVendor ? "Message from the vendor" : "Message from the security unit")}: {message.Body}"));
            if (fromVendor)
                await db.TellOfficersAsync(vendorCase, now, ct);
            else
                await db.TellVendorAsync(vendorCase, now, ct);
            await db.SaveChangesAsync(ct);
            return message.Id;
        }
    }
}
