using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;
using Mediator;
using Unit = Portal.Web.Domain.Unit;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Web;

namespace Portal.Web.Features.Admin;

public static class UnitTree
{
    public sealed record Query : IRequest<IReadOnlyList<Node>>;

    public sealed record Node(Guid Id, string Name, string Code, UnitKind Kind, Guid? ParentId, int Depth, int Staff);

    /// <summary>Every unit in tree order (parents before their children), with its staff count.</summary>
    internal sealed class Handler(PortalDbContext db) : IRequestHandler<Query, IReadOnlyList<Node>>
    {
        public async ValueTask<IReadOnlyList<Node>> Handle(Query request, CancellationToken ct)
        {
            var units = await db.Units.AsNoTracking()
                .Select(u => new { u.Id, u.Name, u.Code, u.Kind, u.ParentId, u.Depth, Staff = db.StaffMembers.Count(s => s.UnitId == u.Id) })
                .ToListAsync(ct);
            var children = units.ToLookup(u => u.ParentId);
            var ordered = new List<Node>(units.Count);
            void Walk(Guid? parent)
            {
                foreach (var u in children[parent].OrderBy(u => u.Name, StringComparer.CurrentCultureIgnoreCase))
                {
                    ordered.Add(new Node(u.Id, u.Name, u.Code, u.Kind, u.ParentId, u.Depth, u.Staff));
                    Walk(u.Id);
                }
            }
            Walk(null);
            return ordered;
        }
    }
}

public abstract record UnitForm
{
    public string? Name { get; init; }
    public string? Code { get; init; }
    public UnitKind? Kind { get; init; }
    public Guid? ParentId { get; init; }
}

public sealed class UnitFormValidator : AbstractValidator<UnitForm>
{
    public UnitFormValidator(PortalDbContext db)
    {
        RuleFor(u => u.Name).NotEmpty().WithMessage("Enter the unit's name.").MaximumLength(200).WithMessage("Keep the name to 200 characters or fewer.");
        RuleFor(u => u.Code).NotEmpty().WithMessage("Enter a short code for the unit, for example SQ110.")
            .MaximumLength(32).WithMessage("Keep the code to 32 characters or fewer.")
            .Matches("^[A-Za-z0-9-]+$").WithMessage("Use only letters, digits and hyphens in the code.");
        RuleFor(u => u.Kind).NotNull().WithMessage("Choose what kind of unit this is.").IsInEnum().WithMessage("Choose a kind from the list.");
        RuleFor(u => u.ParentId).MustAsync(async (id, ct) => id is null || await db.Units.AnyAsync(x => x.Id == id, ct))
            .WithMessage("Choose the parent unit from the list.");
    }
}

public static class CreateUnit
{
    public sealed record Command : UnitForm, ICommand<Guid>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(PortalDbContext db)
        {
            Include(new UnitFormValidator(db));
            RuleFor(u => u.Code).MustAsync(async (code, ct) => !await db.Units.AnyAsync(x => x.Code == (code ?? "").Trim().ToUpper(), ct))
                .WithMessage("Another unit already has this code.");
        }
    }

    internal sealed class Handler(PortalDbContext db) : ICommandHandler<Command, Guid>
    {
        public async ValueTask<Guid> Handle(Command request, CancellationToken ct)
        {
            var parent = request.ParentId is { } id ? await db.Units.SingleAsync(u => u.Id == id, ct) : null;
            var unit = Unit.Create(request.Name!, request.Code!, request.Kind!.Value, parent);
            db.Units.Add(unit);
            await db.SaveChangesAsync(ct);
            return unit.Id;
        }
    }
}

public static class EditUnit
{
    public sealed record Query(Guid Id) : IRequest<Command>;

    public sealed record Command : UnitForm, ICommand<Done>
    {
        public Guid Id { get; set; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(PortalDbContext db)
        {
            Include(new UnitFormValidator(db));
            RuleFor(u => u.Code).MustAsync(async (cmd, code, ct) => !await db.Units.AnyAsync(x => x.Code == (code ?? "").Trim().ToUpper() && x.Id != cmd.Id, ct))
                .WithMessage("Another unit already has this code.");
            RuleFor(u => u.ParentId).MustAsync(async (cmd, parentId, ct) =>
                {
                    if (parentId is null) return true;
                    var self = await db.Units.AsNoTracking().Where(u => u.Id == cmd.Id).Select(u => u.Path).FirstOrDefaultAsync(ct);
                    var parentPath = await db.Units.AsNoTracking().Where(u => u.Id == parentId).Select(u => u.Path).FirstOrDefaultAsync(ct);
                    return self is null || parentPath is null || !parentPath.StartsWith(self, StringComparison.Ordinal);
                })
                .WithMessage("A unit cannot be moved under itself or one of its own sub-units.");
        }
    }

    internal sealed class QueryHandler(PortalDbContext db) : IRequestHandler<Query, Command>
    {
        public async ValueTask<Command> Handle(Query request, CancellationToken ct) =>
            await db.Units.AsNoTracking().Where(u => u.Id == request.Id)
                .Select(u => new Command { Id = u.Id, Name = u.Name, Code = u.Code, Kind = u.Kind, ParentId = u.ParentId })
                .FirstOrDefaultAsync(ct)
            ?? throw new NotFoundException("The unit");
    }

    internal sealed class Handler(PortalDbContext db) : ICommandHandler<Command, Done>
    {
        public async ValueTask<Done> Handle(Command request, CancellationToken ct)
        {
            var unit = await db.Units.FirstOrDefaultAsync(u => u.Id == request.Id, ct) ?? throw new NotFoundException("The unit");
            unit.Rename(request.Name!, request.Code!, request.Kind!.Value);
            await db.SaveChangesAsync(ct);
            if (unit.ParentId != request.ParentId)
                await MoveAsync(unit, request.ParentId, ct);
            return Done.Value;
        }

        /// <summary>Re-roots the whole subtree in one statement: every descendant's path and depth follow.</summary>
        private async Task MoveAsync(Unit unit, Guid? newParentId, CancellationToken ct)
        {
            var parent = newParentId is { } id ? await db.Units.AsNoTracking().SingleAsync(u => u.Id == id, ct) : null;
            var newPath = (parent?.Path ?? "/") + unit.Id.ToString("N") + "/";
            var depthShift = (parent is null ? 0 : parent.Depth + 1) - unit.Depth;
            await db.Database.ExecuteSqlAsync($"""
                UPDATE units
                SET path = {newPath} || substr(path, length({unit.Path}) + 1),
                    depth = depth + {depthShift},
                    parent_id = CASE WHEN id = {unit.Id} THEN {newParentId} ELSE parent_id END
                WHERE path LIKE {unit.Path + "%"}
                """, ct);
        }
    }
}
