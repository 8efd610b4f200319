using System.Text.Json;
using FluentValidation;
using Mediator;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Features.Circulars;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Auth;

namespace Portal.Web.Features.Evidence;

/// <summary>An officer records lab evidence on a circular being drafted or amended: who tested what, when and how. Files and findings follow on its page.</summary>
public static class Record
{
    public sealed record Command : ICommand<Guid>
    {
        public Guid CircularId { get; set; }
        public string? Title { get; init; }
        public string? Lab { get; init; }
        public DateOnly? TestedOn { get; init; }
        public string? DeviceTested { get; init; }
        public string? FirmwareTested { get; init; }
        public string? Method { get; init; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(TimeProvider clock)
        {
            RuleFor(c => c.Title).NotEmpty().WithMessage("Give the evidence a title, such as the lab report's name.")
                .MaximumLength(200).WithMessage("Keep the title to 200 characters or fewer (it has {TotalLength}).");
            RuleFor(c => c.Lab).NotEmpty().WithMessage("Name the lab that did the test.")
                .MaximumLength(200).WithMessage("Keep the lab's name to 200 characters or fewer (it has {TotalLength}).");
            RuleFor(c => c.TestedOn).NotNull().WithMessage("Give the date of the test.")
                .Must(d => d is null || d <= DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime.AddDays(1))).WithMessage("The test date is in the future.")
                .Must(d => d is null || d.Value.Year >= 2000).WithMessage("Give a test date from 2000 on.");
            RuleFor(c => c.DeviceTested).NotEmpty().WithMessage("Name the device tested (model and model number).")
                .MaximumLength(200).WithMessage("Keep the device to 200 characters or fewer (it has {TotalLength}).");
            RuleFor(c => c.FirmwareTested).MaximumLength(100).WithMessage("Keep the firmware version to 100 characters or fewer (it has {TotalLength}).");
            RuleFor(c => c.Method).MaximumLength(4000).WithMessage("Keep the method to 4,000 characters or fewer (it has {TotalLength}).");
        }
    }

    internal sealed class Handler(ICurrentUser user, PortalDbContext db, TimeProvider clock) : ICommandHandler<Command, Guid>
    {
        public async ValueTask<Guid> Handle(Command request, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            await db.EnsureCircularEditableAsync(request.CircularId, ct);
            var evidence = EvidenceRecord.Record(request.CircularId, request.Title!, request.Lab!, request.TestedOn!.Value,
                request.DeviceTested!, request.FirmwareTested, request.Method, user.Id, now);
            db.Evidence.Add(evidence);
            db.Custody(evidence.Id, "EvidenceRecorded", user.Id, now, evidence.Title,
                JsonSerializer.Serialize(new { circular = request.CircularId, lab = evidence.Lab, testedOn = evidence.TestedOn }));
            db.AuditEvents.Add(AuditEvent.Record(nameof(Circular), request.CircularId, "EvidenceRecorded", user.Id, now, evidence.Title,
                JsonSerializer.Serialize(new { evidence = evidence.Id })));
            await db.SaveChangesAsync(ct);
            return evidence.Id;
        }
    }
}
