using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;

namespace Portal.Web.Infrastructure.Startup;

/// <summary>
/// The data-protection key ring (in the database, shared by every instance) is encrypted with an X.509
/// certificate: Portal:DataProtection:CertificatePath (a PKCS#12 file with its RSA private key) and
/// CertificatePassword. Required in every environment but Development, so a key never sits in the
/// database in plain text outside a developer's machine (docs/decisions/0081-key-ring-at-rest.md).
/// Rotation: the new certificate becomes CertificatePath, the old one is listed under
/// PreviousCertificates:N:Path (and :Password), so keys written under it still decrypt; new keys use the new one
/// (docs/decisions/0083-key-ring-certificate-rotation.md).
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
        var certificate = Load(Path.GetFullPath(path), configuration[$"{Section}:CertificatePassword"], $"{Section}:CertificatePath");
        var previous = configuration.GetSection($"{Section}:PreviousCertificates").GetChildren()
            .Select(c => Load(Path.GetFullPath(c["Path"] is { Length: > 0 } p ? p
                    : throw new StartupException($"{c.Path}:Path is not set: name the file of the certificate the key ring was encrypted with before.")),
                c["Password"], $"{c.Path}:Path"))
            .ToArray();
        services.AddDataProtection()
            .ProtectKeysWithCertificate(certificate)
            // Decryption looks the certificate up in the machine's store unless it is named here; on Linux it is never there.
            .UnprotectKeysWithAnyCertificate([certificate, .. previous]);
        return services;
    }

    private static X509Certificate2 Load(string path, string? password, string setting)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password, X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            throw new StartupException($"{setting}: cannot read {path}: {ex.Message}");
        }
        catch (CryptographicException ex)
        {
            throw new StartupException($"{setting}: {path} is not a PKCS#12 file this password ({setting[..^"Path".Length]}Password) opens: {ex.Message}");
        }
        using var key = certificate.GetRSAPrivateKey();
        if (key is null)
            throw new StartupException($"{setting}: {path} holds no RSA private key; the key ring needs one to encrypt and decrypt.");
        return certificate;
    }
}
