using FluentValidation;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Infrastructure.Auth;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Web;

namespace Portal.Web.Features.VendorCases;

/// <summary>A vendor user states its organisation's position on a case; a public statement may be quoted in the circular.</summary>
public static class PostStatement
{
    public sealed record Command : ICommand<Guid>
    {
        public Guid CaseId { get; set; }
        public string? Text { get; init; }
        public bool IsPublic { get; init; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Text).NotEmpty().WithMessage("Write the statement.")
                .MaximumLength(8000).WithMessage("Keep the statement to 8,000 characters or fewer (it has {TotalLength}).");
        }
    }

    internal sealed class Handler(ICurrentUser user, PortalDbContext db, TimeProvider clock) : ICommandHandler<Command, Guid>
    {
        public async ValueTask<Guid> Handle(Command request, CancellationToken ct)
        {
            var vendorCase = await db.CaseForVendorAsync(user, request.CaseId, ct);
            var now = clock.GetUtcNow();
            var by = await db.ActorIdAsync(user, clock, ct);
            var statement = CaseStatement.Post(vendorCase.Id, request.Text!, request.IsPublic, by, now);
            db.CaseStatements.Add(statement);
            db.CaseEvents.Add(CaseEvent.Record(vendorCase, CaseEventKind.Statement, statement.Id, by, now,
                $"{(statement.IsPublic ? "Public statement" : "Statement")}: {statement.Text}"));
            db.AuditEvents.Add(AuditEvent.Record(nameof(VendorCase), vendorCase.Id, "StatementPosted", by, now, statement.IsPublic ? "public" : "not public"));
            await db.TellOfficersAsync(vendorCase, now, ct);
            await db.SaveChangesAsync(ct);
            return statement.Id;
        }
    }
}
