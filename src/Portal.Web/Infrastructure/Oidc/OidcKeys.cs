using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using Portal.Web.Data;

namespace Portal.Web.Infrastructure.Oidc;

public enum OidcKeyUse
{
    Signing,
    Encryption,
}

/// <summary>
/// A signing or encryption key of the token server: a self-signed X.509 certificate with its RSA private key,
/// kept in the database so that every instance signs, validates and decrypts with the same keys after any restart.
/// The PKCS#12 bytes are protected with the data-protection key ring, itself encrypted at rest (docs/decisions/0081),
/// so a database dump alone does not give away the keys that sign tokens.
/// </summary>
public sealed class OidcKey
{
    private OidcKey() { }

    public Guid Id { get; private set; }
    public OidcKeyUse Use { get; private set; }
    public byte[] Certificate { get; private set; } = [];
    public DateTimeOffset NotBefore { get; private set; }
    public DateTimeOffset NotAfter { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    public static OidcKey Generate(OidcKeyUse use, DateTimeOffset notBefore, TimeSpan lifetime, DateTimeOffset now, IDataProtector protector)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest($"CN=Advisory Portal token {use.ToString().ToLowerInvariant()} key", rsa,
            HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            use == OidcKeyUse.Signing ? X509KeyUsageFlags.DigitalSignature : X509KeyUsageFlags.KeyEncipherment, critical: true));
        // Whole seconds: X.509 validity has no finer grain, and the row must say what the certificate says.
        var from = DateTimeOffset.FromUnixTimeSeconds(notBefore.ToUnixTimeSeconds());
        using var certificate = request.CreateSelfSigned(from, from + lifetime);
        return new OidcKey
        {
            Id = Guid.CreateVersion7(),
            Use = use,
            Certificate = protector.Protect(certificate.Export(X509ContentType.Pfx)),
            NotBefore = from,
            NotAfter = from + lifetime,
            CreatedAt = now,
        };
    }

    public X509Certificate2 Load(IDataProtector protector) =>
        X509CertificateLoader.LoadPkcs12(protector.Unprotect(Certificate), null, X509KeyStorageFlags.EphemeralKeySet);
}

/// <summary>Creates the first key pair once (whichever instance starts first), and rotates keys on request.</summary>
public sealed class OidcKeyStore(PortalDbContext db, TimeProvider clock, IOptions<OidcOptions> options, IDataProtectionProvider dataProtection)
{
    public IDataProtector Protector { get; } = dataProtection.CreateProtector("Portal.Oidc.Keys");

    // Any fixed number shared by all instances: serialises the first creation and rotations.
    private const long LockId = 0x6F6964636B657973;

    /// <summary>Every key an instance should load; makes the first pair if there is none.</summary>
    public IReadOnlyList<OidcKey> LoadOrCreate()
    {
        var keys = db.OidcKeys.AsNoTracking().OrderByDescending(k => k.NotBefore).ToList();
        if (keys.Any(k => k.Use == OidcKeyUse.Signing) && keys.Any(k => k.Use == OidcKeyUse.Encryption))
            return keys;

        using var tx = db.Database.BeginTransaction();
        db.Database.ExecuteSql($"SELECT pg_advisory_xact_lock({LockId})");
        keys = db.OidcKeys.AsNoTracking().OrderByDescending(k => k.NotBefore).ToList();
        var now = clock.GetUtcNow();
        foreach (var use in Enum.GetValues<OidcKeyUse>().Where(u => keys.All(k => k.Use != u)))
        {
            // A minute back: instances whose clocks lag a little must already find the key valid.
            var key = OidcKey.Generate(use, now.AddMinutes(-1), options.Value.KeyLifetime, now, Protector);
            db.OidcKeys.Add(key);
            keys.Add(key);
        }
        db.SaveChanges();
        tx.Commit();
        return keys;
    }

    /// <summary>
    /// Adds a new signing and encryption key valid from <paramref name="activateAfter"/> from now, and drops the keys
    /// older than the previous generation. Instances load keys at start: see the README for the restart order.
    /// </summary>
    public async Task<IReadOnlyList<OidcKey>> RotateAsync(TimeSpan activateAfter, CancellationToken ct = default)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({LockId})", ct);
        var now = clock.GetUtcNow();
        foreach (var use in Enum.GetValues<OidcKeyUse>())
        {
            var older = await db.OidcKeys.Where(k => k.Use == use).OrderByDescending(k => k.NotBefore).Skip(1).ToListAsync(ct);
            db.OidcKeys.RemoveRange(older);
            db.OidcKeys.Add(OidcKey.Generate(use, now + activateAfter, options.Value.KeyLifetime, now, Protector));
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return await db.OidcKeys.AsNoTracking().OrderByDescending(k => k.NotBefore).ToListAsync(ct);
    }
}

/// <summary>
/// Hands the stored certificates to OpenIddict when its options are first built. OpenIddict signs and encrypts
/// with the valid certificate that expires last; the others stay published (JWKS) and usable for validation.
/// </summary>
internal sealed class OidcKeyOptionsSetup(IServiceScopeFactory scopes) : IConfigureOptions<OpenIddictServerOptions>
{
    public void Configure(OpenIddictServerOptions options)
    {
        using var scope = scopes.CreateScope();
        var store = scope.ServiceProvider.GetRequiredService<OidcKeyStore>();
        foreach (var key in store.LoadOrCreate())
        {
            var securityKey = new X509SecurityKey(key.Load(store.Protector), key.Id.ToString("N"));
            if (key.Use == OidcKeyUse.Signing)
                options.SigningCredentials.Add(new SigningCredentials(securityKey, SecurityAlgorithms.RsaSha256));
            else
                options.EncryptionCredentials.Add(new EncryptingCredentials(securityKey, SecurityAlgorithms.RsaOAEP, SecurityAlgorithms.Aes256CbcHmacSha512));
        }
    }
}
