using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;

namespace Portal.Web.Infrastructure.Startup;

/// <summary>
/// The data-protection key ring (in the database, shared by every instance) is encrypted with an X.509
/// certificate: Portal:DataProtection:CertificatePath (a PKCS#12 file with its RSA private key) and
/// CertificatePassword. Required in every environment but Development, so a key never sits in the
/// database in plain text outside a developer's machine (docs/decisions/0081-key-ring-at-rest.md).
/// </summary>
public static class KeyRingProtection
{
    public const string Section = "Portal:DataProtection";

    public static IServiceCollection AddPortalKeyRing(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var path = configuration[$"{Section}:CertificatePath"];
        if (string.IsNullOrWhiteSpace(path))
        {
            if (environment.IsDevelopment())
                return services;
            throw new StartupException(
                $"{Section}:CertificatePath is not set (environment variable Portal__DataProtection__CertificatePath): outside Development " +
                $"the key ring is encrypted with a certificate (this is {environment.EnvironmentName}). ./run.sh generates one into .data/.");
        }
        var certificate = Load(Path.GetFullPath(path), configuration[$"{Section}:CertificatePassword"]);
        services.AddDataProtection()
            .ProtectKeysWithCertificate(certificate)
            // Decryption looks the certificate up in the machine's store unless it is named here; on Linux it is never there.
            .UnprotectKeysWithAnyCertificate(certificate);
        return services;
    }

    private static X509Certificate2 Load(string path, string? password)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password, X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            throw new StartupException($"{Section}:CertificatePath: cannot read {path}: {ex.Message}");
        }
        catch (CryptographicException ex)
        {
            throw new StartupException($"{Section}:CertificatePath: {path} is not a PKCS#12 file this password ({Section}:CertificatePassword) opens: {ex.Message}");
        }
        using var key = certificate.GetRSAPrivateKey();
        if (key is null)
            throw new StartupException($"{Section}:CertificatePath: {path} holds no RSA private key; the key ring needs one to encrypt and decrypt.");
        return certificate;
    }
}
