using System.Text.Json;
using FluentValidation;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Infrastructure.Localization;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Auth;

namespace Portal.Web.Features.Circulars;

/// <summary>An officer references an outside source: a CERT advisory id, a lab report number, a vendor statement, an article.</summary>
public static class AddSource
{
    public sealed record Query(Guid Id) : IRequest<Command>;

    public sealed record Command : CircularTransition, ICommand<Done>
    {
        public SourceKind? Kind { get; init; }
        public string? Identifier { get; init; }
        public string? Title { get; init; }
        public string? Url { get; init; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(s => s.Kind).NotNull().WithMessage("Choose what kind of source this is.").IsInEnum().WithMessage("Choose a kind of source from the list.");
            RuleFor(s => s.Identifier).NotEmpty().WithMessage("Enter the source's identifier, such as the CERT advisory id or the lab report number.")
                .MaximumLength(200).WithMessage("Keep the identifier to 200 characters or fewer (it has {TotalLength}).");
            RuleFor(s => s.Title).MaximumLength(500).WithMessage("Keep the title to 500 characters or fewer (it has {TotalLength}).");
            RuleFor(s => s.Url).MaximumLength(2000).WithMessage("Keep the web address to 2,000 characters or fewer.")
                .Must(IsWebAddress).WithMessage("Give a web address starting with https:// or http://, such as https://cert.example/advisories/42, or leave it empty.")
                .When(s => !string.IsNullOrWhiteSpace(s.Url));
        }

        /// <summary>Readers follow these links: only absolute http(s) addresses, never javascript: or file: ones.</summary>
        private static bool IsWebAddress(string? url) =>
            Uri.TryCreate(url!.Trim(), UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            && uri.Host.Length > 0;
    }

    internal sealed class QueryHandler(PortalDbContext db) : IRequestHandler<Query, Command>
    {
        public async ValueTask<Command> Handle(Query request, CancellationToken ct) =>
            new() { Id = request.Id, Version = await db.VersionAsync(request.Id, ct) };
    }

    internal sealed class Handler(ICurrentUser user, PortalDbContext db, TimeProvider clock) : ICommandHandler<Command, Done>
    {
        public async ValueTask<Done> Handle(Command request, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            var circular = await db.LoadForChangeAsync(request.Id, request.Version, ct);
            var source = circular.AddSource(request.Kind!.Value, request.Identifier!, request.Title, request.Url, user.Id, now);
            db.Audit(circular, "SourceAdded", user.Id, now, $"{source.Kind.Words()} {source.Identifier}",
                JsonSerializer.Serialize(new { source = source.Id, kind = source.Kind.ToString(), identifier = source.Identifier, url = source.Url }));
            await db.SaveChangesAsync(ct);
            return Done.Value;
        }
    }
}
