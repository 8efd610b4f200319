using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Portal.Tests.Support;

/// <summary>
/// A throwaway self-signed RSA certificate (PKCS#12 in a temporary file) for the key ring: outside
/// Development the app refuses to start without one, and tests run it as "Testing" or as the shipped app.
/// </summary>
public static class TestCertificate
{
    public const string Password = "test-key-ring";

    private static readonly Lazy<string> File = new(Create);

    public static string Path => File.Value;

    /// <summary>The settings that point the app at the certificate, as configuration keys or (with "__") environment variables.</summary>
    public static Dictionary<string, string> Settings(string separator = ":") => new()
    {
        [$"Portal{separator}DataProtection{separator}CertificatePath"] = Path,
        [$"Portal{separator}DataProtection{separator}CertificatePassword"] = Password,
    };

    public static string Create()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=Advisory Portal test key ring", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"portal-keyring-{Environment.ProcessId}-{Guid.NewGuid():N}.pfx");
        System.IO.File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, Password));
        AppDomain.CurrentDomain.ProcessExit += (_, _) => System.IO.File.Delete(path);
        return path;
    }
}
