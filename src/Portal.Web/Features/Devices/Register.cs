using System.Security.Claims;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Auth;

namespace Portal.Web.Features.Devices;

/// <summary>A staff member registers a phone, theirs or a family member's; it is checked against the published rules at once.</summary>
public static class Register
{
    public sealed record Command : DeviceForm, ICommand<Guid>
    {
        public string? Imei { get; init; }

        public string? NormalisedImei => Imeis.Normalise(Imei, out _);
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            Include(new DeviceFormValidator());
            RuleFor(c => c.Imei).Custom((imei, context) =>
            {
                if (Imeis.Normalise(imei, out var problem) is null)
                    // A sentence with the digit count: translated through its template (the refusal filter finds only fixed sentences).
                    context.AddFailure(nameof(Command.Imei), ImportReasons.Localize(problem!, Portal.Web.Infrastructure.Localization.Text.Localizer));
            });
        }
    }

    internal sealed class Handler(ICurrentUser user, PortalDbContext db, TimeProvider clock, Compliance compliance) : ICommandHandler<Command, Guid>
    {
        public async ValueTask<Guid> Handle(Command request, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            var staff = await db.OwnStaffRecordAsync(user, ct);
            var dependent = await db.OwnerAsync(staff, request.Owner, ct);
            var imei = request.NormalisedImei!;
            // Whose it is stays unsaid: an IMEI is personal data.
            if (await db.Devices.AnyAsync(d => d.Imei == imei && d.RemovedAt == null, ct))
                throw new ValidationException([new FluentValidation.Results.ValidationFailure(nameof(Command.Imei),
                    "This IMEI is already registered. If the phone changed hands, ask the security office to move it.")]);
            var catalogue = await DeviceCatalogue.LoadAsync(db, ct);
            var device = Device.Register(staff.Id, dependent, imei,
                catalogue.Describe(request.Manufacturer!, request.Model!, Imeis.Tac(imei), request.OsVersion), DeviceSource.SelfRegistered, now);
            db.Devices.Add(device);
            await db.SaveChangesAsync(ct);
            await compliance.ScanDevicesAsync([device.Id], now, ct);
            return device.Id;
        }
    }
}

/// <summary>The owner corrects a device or records a software update; the findings follow (an update above the fixed version resolves them).</summary>
public static class Change
{
    public sealed record Query(Guid Id) : IRequest<Command>;

    public sealed record Command : DeviceForm, ICommand<Done>
    {
        public Guid Id { get; set; }
        [Microsoft.AspNetCore.Mvc.ModelBinding.BindNever]
        public string ImeiShown { get; set; } = "";
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => Include(new DeviceFormValidator());
    }

    internal sealed class QueryHandler(ICurrentUser user, PortalDbContext db) : IRequestHandler<Query, Command>
    {
        public async ValueTask<Command> Handle(Query request, CancellationToken ct)
        {
            var staff = await db.OwnStaffRecordAsync(user, ct);
            var d = await db.Devices.AsNoTracking().FirstOrDefaultAsync(d => d.Id == request.Id && d.StaffMemberId == staff.Id && d.RemovedAt == null, ct)
                ?? throw new Infrastructure.Web.NotFoundException("The device");
            return new Command
            {
                Id = d.Id, Owner = d.DependentId?.ToString(), Manufacturer = d.ManufacturerName, Model = d.Model, OsVersion = d.OsVersion,
                ImeiShown = d.Imei,
            };
        }
    }

    internal sealed class Handler(ICurrentUser user, PortalDbContext db, TimeProvider clock, Compliance compliance) : ICommandHandler<Command, Done>
    {
        public async ValueTask<Done> Handle(Command request, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            var staff = await db.OwnStaffRecordAsync(user, ct);
            var device = await db.Devices.FirstOrDefaultAsync(d => d.Id == request.Id && d.StaffMemberId == staff.Id && d.RemovedAt == null, ct)
                ?? throw new Infrastructure.Web.NotFoundException("The device");
            var catalogue = await DeviceCatalogue.LoadAsync(db, ct);
            device.Describe(catalogue.Describe(request.Manufacturer!, request.Model!, device.Tac, request.OsVersion), now);
            await db.SaveChangesAsync(ct);
            await compliance.ScanDevicesAsync([device.Id], now, ct);
            return Done.Value;
        }
    }
}

/// <summary>The owner removes a device (replaced, lost, no longer used): its open findings are resolved, saying so.</summary>
public static class Remove
{
    public static readonly IReadOnlyList<string> Reasons = ["Replaced", "No longer used", "Lost or stolen", "Registered by mistake"];

    public sealed record Command(Guid Id, string? Reason) : ICommand<Done>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.Reason).Must(r => r is not null && Reasons.Contains(r)).WithMessage("Choose why the device is removed.");
    }

    internal sealed class Handler(ICurrentUser user, PortalDbContext db, TimeProvider clock, Compliance compliance) : ICommandHandler<Command, Done>
    {
        public async ValueTask<Done> Handle(Command request, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            var staff = await db.OwnStaffRecordAsync(user, ct);
            var device = await db.Devices.FirstOrDefaultAsync(d => d.Id == request.Id && d.StaffMemberId == staff.Id && d.RemovedAt == null, ct)
                ?? throw new Infrastructure.Web.NotFoundException("The device");
            device.Remove(request.Reason!, now);
            await db.SaveChangesAsync(ct);
            await compliance.ScanDevicesAsync([device.Id], now, ct);
            return Done.Value;
        }
    }
}
