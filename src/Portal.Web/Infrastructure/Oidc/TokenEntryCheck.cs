using Npgsql;
using OpenIddict.Abstractions;
using OpenIddict.Validation;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Portal.Web.Infrastructure.Oidc;

/// <summary>
/// Every access token's row is read on every call, so a revoked client (its rows deleted) or a revoked token (its row
/// no longer valid) is refused at once, on every instance. It does what OpenIddict's token-entry validation does for
/// us, with one prepared primary-key lookup on the app's data source instead of a tracked EF query through the token
/// manager, which cost more CPU than the check API's own work (docs/decisions/0054).
/// </summary>
internal sealed class TokenEntryCheck(NpgsqlDataSource dataSource) : IOpenIddictValidationHandler<OpenIddictValidationEvents.ValidateTokenContext>
{
    public static OpenIddictValidationHandlerDescriptor Descriptor { get; } =
        OpenIddictValidationHandlerDescriptor.CreateBuilder<OpenIddictValidationEvents.ValidateTokenContext>()
            .UseSingletonHandler<TokenEntryCheck>()
            .SetOrder(OpenIddictValidationHandlers.Protection.ValidateTokenEntry.Descriptor.Order)
            .SetType(OpenIddictValidationHandlerType.Custom)
            .Build();

    // A token issued as a reference token must not be accepted as a self-contained one (OpenIddict's rule too).
    private const string Sql = "SELECT 1 FROM openiddict_tokens WHERE id = $1 AND status = 'valid' AND reference_id IS NULL";

    public async ValueTask HandleAsync(OpenIddictValidationEvents.ValidateTokenContext context)
    {
        if (context.Principal is null)
            return;
        // The portal's server stores every token it issues: a token without an entry is not one of ours.
        if (!Guid.TryParse(context.Principal.GetTokenId(), out var id) || !await IsValidAsync(id, context.CancellationToken))
            context.Reject(error: Errors.InvalidToken, description: "The token is no longer valid.");
    }

    private async Task<bool> IsValidAsync(Guid id, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(Sql);
        command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
        return await command.ExecuteScalarAsync(ct) is not null;
    }
}
