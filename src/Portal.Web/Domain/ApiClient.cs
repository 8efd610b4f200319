namespace Portal.Web.Domain;

public enum ApiClientKind
{
    MdmSystem,
    VendorSystem,
    InternalApp,
}

/// <summary>
/// A machine or application that calls the portal's API. OpenIddict keeps the client's credentials and
/// permissions (its application row has the same id); this row keeps what the portal itself needs:
/// what kind of system it is, the vendor it acts for, and when it was last used or revoked.
/// </summary>
public sealed class ApiClient
{
    private ApiClient() { }

    public Guid Id { get; private set; }
    public string ClientId { get; private set; } = "";
    public string Name { get; private set; } = "";
    public ApiClientKind Kind { get; private set; }
    public Guid? VendorOrganisationId { get; private set; }
    public VendorOrganisation? VendorOrganisation { get; private set; }
    public string[] Scopes { get; private set; } = [];
    public string[] RedirectUris { get; private set; } = [];
    public int? RequestsPerWindow { get; private set; }
    public Guid? CreatedById { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset SecretIssuedAt { get; private set; }
    public DateTimeOffset? LastUsedAt { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }
    public Guid? RevokedById { get; private set; }

    public bool IsRevoked => RevokedAt is not null;

    public static ApiClient Register(Guid id, string clientId, string name, ApiClientKind kind, Guid? vendorOrganisationId,
        IEnumerable<string> scopes, IEnumerable<string> redirectUris, int? requestsPerWindow, Guid? createdBy, DateTimeOffset now) => new()
    {
        Id = id,
        ClientId = clientId,
        Name = name.Trim(),
        Kind = kind,
        VendorOrganisationId = kind == ApiClientKind.VendorSystem ? vendorOrganisationId : null,
        Scopes = scopes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray(),
        RedirectUris = redirectUris.Distinct(StringComparer.Ordinal).ToArray(),
        RequestsPerWindow = requestsPerWindow,
        CreatedById = createdBy,
        CreatedAt = now,
        SecretIssuedAt = now,
    };

    public void SecretRotated(DateTimeOffset now)
    {
        if (IsRevoked)
            throw new DomainException("This client is revoked; register a new one instead.");
        SecretIssuedAt = now;
    }

    public void Revoke(Guid? by, DateTimeOffset now)
    {
        if (IsRevoked)
            throw new DomainException("This client is already revoked.");
        RevokedAt = now;
        RevokedById = by;
    }
}
