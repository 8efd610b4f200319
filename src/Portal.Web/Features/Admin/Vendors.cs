using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;

namespace Portal.Web.Features.Admin;

public static class VendorList
{
    public sealed record Query : IRequest<IReadOnlyList<Row>>;

    public sealed record Row(Guid Id, string Name, string? ContactEmail, int Users);

    internal sealed class Handler(PortalDbContext db) : IRequestHandler<Query, IReadOnlyList<Row>>
    {
        public async ValueTask<IReadOnlyList<Row>> Handle(Query request, CancellationToken ct) =>
            await db.VendorOrganisations.AsNoTracking().OrderBy(v => v.Name)
                .Select(v => new Row(v.Id, v.Name, v.ContactEmail, db.Users.Count(u => u.VendorOrganisationId == v.Id)))
                .ToListAsync(ct);
    }
}

public static class CreateVendor
{
    public sealed record Command : ICommand<Guid>
    {
        public string? Name { get; init; }
        public string? ContactEmail { get; init; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(PortalDbContext db)
        {
            RuleFor(c => c.Name).NotEmpty().WithMessage("Enter the vendor's name.").MaximumLength(200).WithMessage("Keep the name to 200 characters or fewer.")
                .MustAsync(async (name, ct) => !await db.VendorOrganisations.AnyAsync(v => v.Name == name!.Trim(), ct))
                .WithMessage("A vendor organisation with this name already exists.");
            RuleFor(c => c.ContactEmail).EmailAddress().WithMessage("Enter a contact e-mail address like psirt@vendor.example, or leave it empty.")
                .MaximumLength(256).WithMessage("Keep the e-mail address to 256 characters or fewer.");
        }
    }

    internal sealed class Handler(PortalDbContext db, TimeProvider clock) : ICommandHandler<Command, Guid>
    {
        public async ValueTask<Guid> Handle(Command request, CancellationToken ct)
        {
            var vendor = VendorOrganisation.Create(request.Name!, request.ContactEmail, clock.GetUtcNow());
            db.VendorOrganisations.Add(vendor);
            await db.SaveChangesAsync(ct);
            return vendor.Id;
        }
    }
}
