using Portal.Web.Infrastructure.Localization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Mediator;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Auth;

namespace Portal.Web.Features.Evidence;

/// <summary>An officer records what the lab saw leave the device: a data category, its destination, how and when.</summary>
public static partial class AddFinding
{
    public sealed record Command : EvidenceChange, ICommand<Done>
    {
        public DataCategory? Category { get; init; }
        public string? Host { get; init; }
        public string? IpAddress { get; init; }
        public string? Country { get; init; }
        public string? Protocol { get; init; }
        public bool Encrypted { get; init; }
        /// <summary>The form's datetime-local value, read as UTC as the form says.</summary>
        public DateTime? ObservedAt { get; init; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(TimeProvider clock)
        {
            RuleFor(c => c.Category).NotNull().WithMessage("Choose the kind of data sent.").IsInEnum().WithMessage("Choose a kind of data from the list.");
            RuleFor(c => c.Host).MaximumLength(253).WithMessage("A host name has at most 253 characters.")
                .Must(IsHostName).WithMessage("Give a host name such as data.example.cn (letters, digits, hyphens and dots), or leave it empty and give the IP address.")
                .When(c => !string.IsNullOrWhiteSpace(c.Host));
            RuleFor(c => c.IpAddress).Must(IsIpAddress).WithMessage("Give an IP address such as 203.0.113.7 or 2001:db8::7, or leave it empty and give the host name.")
                .When(c => !string.IsNullOrWhiteSpace(c.IpAddress));
            RuleFor(c => c.Host).NotEmpty().WithMessage("Give the destination's host name, its IP address, or both.")
                .When(c => string.IsNullOrWhiteSpace(c.IpAddress));
            RuleFor(c => c.Country).NotEmpty().WithMessage("Give the destination's country as a two-letter ISO 3166 code, such as CN.")
                .Must(Countries.IsIso3166).WithSentence((c, _) => new Sentence("\"{0}\" is not an ISO 3166 country code: use two letters, such as CN, SG or IN.", c.Country))
                .When(c => !string.IsNullOrWhiteSpace(c.Country), ApplyConditionTo.CurrentValidator);
            RuleFor(c => c.Protocol).MaximumLength(40).WithMessage("Keep the protocol to 40 characters or fewer, such as HTTPS or MQTT.");
            RuleFor(c => c.ObservedAt)
                .Must(at => at is null || new DateTimeOffset(DateTime.SpecifyKind(at.Value, DateTimeKind.Utc)) <= clock.GetUtcNow().AddDays(1))
                .WithMessage("The observation time is in the future.");
        }

        public static bool IsHostName(string? host)
        {
            var h = host!.Trim().TrimEnd('.');
            return h.Length is > 0 and <= 253 && h.Contains('.') && HostName().IsMatch(h) && !IPAddress.TryParse(h, out _);
        }

        /// <summary>Strict: "1" or "1.2" are addresses to the parser, never to a person.</summary>
        public static bool IsIpAddress(string? text) =>
            IPAddress.TryParse(text!.Trim(), out var ip)
            && (ip.AddressFamily == AddressFamily.InterNetworkV6 || text.Trim().Count(ch => ch == '.') == 3)
            && !text.Contains('%');
    }

    [GeneratedRegex(@"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)(\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))+$")]
    private static partial Regex HostName();

    internal sealed class Handler(ICurrentUser user, PortalDbContext db, TimeProvider clock) : ICommandHandler<Command, Done>
    {
        public async ValueTask<Done> Handle(Command request, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            await db.EnsureCircularEditableAsync(request.CircularId, ct);
            var evidence = await db.LoadEvidenceForChangeAsync(request.CircularId, request.EvidenceId, request.Version, ct);
            var observed = request.ObservedAt is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : (DateTimeOffset?)null;
            var finding = evidence.AddFinding(request.Category!.Value, request.Host, request.IpAddress, request.Country!, request.Protocol, request.Encrypted, observed);
            db.Custody(evidence.Id, "FindingAdded", user.Id, now, $"{finding.Category.Words()} to {finding.Host ?? finding.IpAddress} ({finding.Country})",
                JsonSerializer.Serialize(new { finding = finding.Id, category = finding.Category.ToString(), finding.Host, finding.IpAddress, finding.Country, finding.Protocol, finding.Encrypted }));
            await db.SaveChangesAsync(ct);
            return Done.Value;
        }
    }
}

/// <summary>An officer removes a finding recorded by mistake, while no published revision cites the evidence.</summary>
public static class RemoveFinding
{
    public sealed record Command : EvidenceChange, ICommand<Done>
    {
        public Guid FindingId { get; set; }
    }

    internal sealed class Handler(ICurrentUser user, PortalDbContext db, TimeProvider clock) : ICommandHandler<Command, Done>
    {
        public async ValueTask<Done> Handle(Command request, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            await db.EnsureCircularEditableAsync(request.CircularId, ct);
            var evidence = await db.LoadEvidenceForChangeAsync(request.CircularId, request.EvidenceId, request.Version, ct);
            evidence.RemoveFinding(request.FindingId);
            db.Custody(evidence.Id, "FindingRemoved", user.Id, now, data: JsonSerializer.Serialize(new { finding = request.FindingId }));
            await db.SaveChangesAsync(ct);
            return Done.Value;
        }
    }
}

/// <summary>An officer removes a file uploaded by mistake, while no published revision cites the evidence. The bytes stay in the store (another record may hold the same ones).</summary>
public static class RemoveFile
{
    public sealed record Command : EvidenceChange, ICommand<Done>
    {
        public Guid FileId { get; set; }
    }

    internal sealed class Handler(ICurrentUser user, PortalDbContext db, TimeProvider clock) : ICommandHandler<Command, Done>
    {
        public async ValueTask<Done> Handle(Command request, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            await db.EnsureCircularEditableAsync(request.CircularId, ct);
            var evidence = await db.LoadEvidenceForChangeAsync(request.CircularId, request.EvidenceId, request.Version, ct);
            var file = evidence.Files.FirstOrDefault(f => f.Id == request.FileId);
            evidence.RemoveFile(request.FileId);
            db.Custody(evidence.Id, "EvidenceFileRemoved", user.Id, now, file?.FileName, JsonSerializer.Serialize(new { file = request.FileId, sha256 = file?.Sha256 }));
            await db.SaveChangesAsync(ct);
            return Done.Value;
        }
    }
}

/// <summary>
/// An officer marks evidence superseded (a later test, a retracted report), with the reason. Cited evidence
/// is never deleted or replaced; this is the only change it allows. Later revisions no longer cite it.
/// </summary>
public static class Supersede
{
    public sealed record Command : EvidenceChange, ICommand<Done>
    {
        public string? Reason { get; init; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() =>
            RuleFor(c => c.Reason).NotEmpty().WithMessage("Say why this evidence is superseded, such as the later test that replaces it.")
                .MaximumLength(2000).WithMessage("Keep the reason to 2,000 characters or fewer (it has {TotalLength}).");
    }

    internal sealed class Handler(ICurrentUser user, PortalDbContext db, TimeProvider clock) : ICommandHandler<Command, Done>
    {
        public async ValueTask<Done> Handle(Command request, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            var evidence = await db.LoadEvidenceForChangeAsync(request.CircularId, request.EvidenceId, request.Version, ct);
            evidence.Supersede(request.Reason!, user.Id, now);
            db.Custody(evidence.Id, "EvidenceSuperseded", user.Id, now, evidence.SupersededReason);
            await db.SaveChangesAsync(ct);
            return Done.Value;
        }
    }
}

/// <summary>An officer chooses which vendor organisations may read and download this evidence (none by default).</summary>
public static class Share
{
    public sealed record Command : EvidenceChange, ICommand<Done>
    {
        public List<Guid> VendorIds { get; init; } = [];
    }

    internal sealed class Handler(ICurrentUser user, PortalDbContext db, TimeProvider clock) : ICommandHandler<Command, Done>
    {
        public async ValueTask<Done> Handle(Command request, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            var evidence = await db.LoadEvidenceForChangeAsync(request.CircularId, request.EvidenceId, request.Version, ct);
            var known = await db.VendorOrganisations.Where(v => request.VendorIds.Contains(v.Id)).Select(v => new { v.Id, v.Name }).ToListAsync(ct);
            if (known.Count != request.VendorIds.Distinct().Count())
                throw new DomainException("One of the vendor organisations chosen no longer exists; reload the page and choose again.");
            evidence.ShareWith(known.Select(v => v.Id));
            db.Custody(evidence.Id, "EvidenceSharingChanged", user.Id, now,
                known.Count == 0 ? "shared with no vendor" : "shared with " + string.Join(", ", known.Select(v => v.Name).Order()),
                JsonSerializer.Serialize(new { vendors = evidence.SharedWithVendorIds }));
            await db.SaveChangesAsync(ct);
            return Done.Value;
        }
    }
}
