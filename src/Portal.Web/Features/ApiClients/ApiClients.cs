using Portal.Web.Infrastructure.Localization;
using System.Security.Claims;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.EntityFrameworkCore;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Infrastructure.Auth;
using Portal.Web.Infrastructure.Web;

namespace Portal.Web.Features.ApiClients;

/// <summary>
/// Who manages clients: administrators manage every client; a vendor organisation's administrator only
/// their own organisation's vendor systems. Anything else is answered as if it did not exist.
/// </summary>
public sealed record ClientManager(Guid UserId, bool IsAdministrator, Guid? VendorOrganisationId)
{
    public static ClientManager Of(ICurrentUser user) => new(
        user.Id,
        user.IsInRole(Roles.Administrator),
        user.IsInRole(Roles.VendorAdministrator) ? user.VendorOrganisationId : null);

    public IQueryable<ApiClient> Visible(IQueryable<ApiClient> clients) =>
        IsAdministrator ? clients
        : VendorOrganisationId is { } vendor ? clients.Where(c => c.Kind == ApiClientKind.VendorSystem && c.VendorOrganisationId == vendor)
        : clients.Where(_ => false);
}

public static class ClientList
{
    public sealed record Query : IRequest<IReadOnlyList<Row>>;

    public sealed record Row(Guid Id, string ClientId, string Name, ApiClientKind Kind, string? Vendor, string[] Scopes, string[] RedirectUris,
        int? RequestsPerWindow, DateTimeOffset CreatedAt, DateTimeOffset SecretIssuedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);

    internal sealed class Handler(PortalDbContext db, ICurrentUser user) : IRequestHandler<Query, IReadOnlyList<Row>>
    {
        public async ValueTask<IReadOnlyList<Row>> Handle(Query request, CancellationToken ct) =>
            await ClientManager.Of(user).Visible(db.ApiClients.AsNoTracking())
                .OrderBy(c => c.RevokedAt != null).ThenBy(c => c.Name)
                .Select(c => new Row(c.Id, c.ClientId, c.Name, c.Kind, c.VendorOrganisation != null ? c.VendorOrganisation.Name : null, c.Scopes,
                    c.RedirectUris, c.RequestsPerWindow, c.CreatedAt, c.SecretIssuedAt, c.LastUsedAt, c.RevokedAt))
                .ToListAsync(ct);
    }
}

/// <summary>What the page shows once after registering or rotating: the secret is never stored in clear nor shown again.</summary>
public sealed record IssuedSecret(string Name, string ClientId, string Secret, bool IsNew);

public static class RegisterClient
{
    public sealed record Command : ICommand<IssuedSecret>
    {
        public string? Name { get; init; }
        public ApiClientKind? Kind { get; init; }
        public List<string> Scopes { get; init; } = [];
        public Guid? VendorOrganisationId { get; set; }
        /// <summary>One address per line.</summary>
        public string? RedirectUris { get; init; }
        public int? RequestsPerWindow { get; init; }

        public IReadOnlyList<string> RedirectUriList =>
            (RedirectUris ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(PortalDbContext db, ICurrentUser user)
        {
            RuleFor(c => c.Name).NotEmpty().WithMessage("Enter the client's name, e.g. the system's product name.")
                .MaximumLength(200).WithMessage("Keep the name to 200 characters or fewer.");
            RuleFor(c => c.Kind).NotNull().WithMessage("Choose what kind of system this is.")
                .IsInEnum().WithMessage("Choose what kind of system this is.");
            RuleFor(c => c.Kind).Equal(ApiClientKind.VendorSystem).When(_ => !ClientManager.Of(user).IsAdministrator)
                .WithMessage("You can register your organisation's vendor systems only.");
            RuleFor(c => c.Scopes).NotEmpty().WithMessage("Choose at least one scope.");
            RuleForEach(c => c.Scopes)
                .Must((c, scope) => c.Kind is not { } kind || !Enum.IsDefined(kind) || ApiClientRegistry.ScopesFor(kind).Contains(scope))
                .WithSentence((c, scope) => ApiScopes.All.Contains(scope)
                    ? new Sentence("A system of the kind “{0}” cannot be given the scope {1}.", new Sentence(c.Kind!.Value.Words()), scope)
                    : "Choose scopes from the list.")
                .OverridePropertyName(nameof(Command.Scopes));
            RuleFor(c => c.VendorOrganisationId).NotNull().When(c => c.Kind == ApiClientKind.VendorSystem)
                .WithMessage("Choose the vendor organisation this system acts for.")
                .MustAsync(async (id, ct) => id is null || await db.VendorOrganisations.AnyAsync(v => v.Id == id, ct))
                .WithMessage("Choose the vendor organisation this system acts for.");
            RuleFor(c => c.VendorOrganisationId).Null().When(c => c.Kind is not ApiClientKind.VendorSystem)
                .WithMessage("Only vendor systems act for a vendor organisation: leave it empty.");
            RuleFor(c => c.RedirectUriList).NotEmpty().When(c => c.Kind == ApiClientKind.InternalApp)
                .WithMessage("An internal application signs people in: enter at least one redirect address.")
                .OverridePropertyName(nameof(Command.RedirectUris));
            RuleFor(c => c.RedirectUriList).Empty().When(c => c.Kind == ApiClientKind.MdmSystem)
                .WithMessage("An MDM system signs nobody in: leave the redirect addresses empty.")
                .OverridePropertyName(nameof(Command.RedirectUris));
            RuleFor(c => c.RedirectUriList).Must(list => list.Count <= 10).WithMessage("Enter at most 10 redirect addresses.")
                .OverridePropertyName(nameof(Command.RedirectUris));
            RuleForEach(c => c.RedirectUriList).Must(IsRedirectUri)
                .WithSentence((_, uri) => new Sentence("'{0}' is not a redirect address: use https://… (http:// only for localhost), without a # part.", Shorten(uri)))
                .OverridePropertyName(nameof(Command.RedirectUris));
            RuleFor(c => c.RequestsPerWindow).InclusiveBetween(1, 1_000_000).When(c => c.RequestsPerWindow is not null)
                .WithMessage("Enter a request limit between 1 and 1,000,000, or leave it empty for the default.");
        }

        private static bool IsRedirectUri(string uri) =>
            uri.Length <= 500 && Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && string.IsNullOrEmpty(parsed.Fragment)
            && (parsed.Scheme == Uri.UriSchemeHttps || (parsed.Scheme == Uri.UriSchemeHttp && parsed.IsLoopback));

        private static string Shorten(string text) => text.Length > 60 ? text[..60] + "…" : text;
    }

    internal sealed class Handler(ApiClientRegistry registry, ICurrentUser user) : ICommandHandler<Command, IssuedSecret>
    {
        public async ValueTask<IssuedSecret> Handle(Command request, CancellationToken ct)
        {
            var manager = ClientManager.Of(user);
            var vendor = manager.IsAdministrator ? request.VendorOrganisationId : manager.VendorOrganisationId;
            var (client, secret) = await registry.RegisterAsync(request.Name!, request.Kind!.Value, request.Scopes.Distinct().ToList(), vendor,
                request.RedirectUriList, request.RequestsPerWindow, manager.UserId, ct);
            return new IssuedSecret(client.Name, client.ClientId, secret, IsNew: true);
        }
    }
}

public static class RotateSecret
{
    public sealed record Command(Guid Id) : ICommand<IssuedSecret>;

    internal sealed class Handler(PortalDbContext db, ApiClientRegistry registry, ICurrentUser user) : ICommandHandler<Command, IssuedSecret>
    {
        public async ValueTask<IssuedSecret> Handle(Command request, CancellationToken ct)
        {
            var client = await ClientManager.Of(user).Visible(db.ApiClients).FirstOrDefaultAsync(c => c.Id == request.Id && c.RevokedAt == null, ct)
                ?? throw new NotFoundException("The API client");
            var secret = await registry.RotateSecretAsync(client, ct);
            return new IssuedSecret(client.Name, client.ClientId, secret, IsNew: false);
        }
    }
}

public static class RevokeClient
{
    public sealed record Command(Guid Id) : ICommand<string>;

    internal sealed class Handler(PortalDbContext db, ApiClientRegistry registry, ICurrentUser user) : ICommandHandler<Command, string>
    {
        public async ValueTask<string> Handle(Command request, CancellationToken ct)
        {
            var client = await ClientManager.Of(user).Visible(db.ApiClients).FirstOrDefaultAsync(c => c.Id == request.Id, ct)
                ?? throw new NotFoundException("The API client");
            if (!client.IsRevoked)
                await registry.RevokeAsync(client, user.Id, ct);
            return client.Name;
        }
    }
}
