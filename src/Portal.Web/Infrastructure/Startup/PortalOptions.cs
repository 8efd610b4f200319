using System.ComponentModel.DataAnnotations;

namespace Portal.Web.Infrastructure.Startup;

/// <summary>The "Portal" configuration section; validated at start so a bad setting stops the app with one clear line.</summary>
public sealed class PortalOptions
{
    public const string Section = "Portal";

    [Required, Url]
    public string BaseUrl { get; set; } = "http://localhost:5080";

    [Required]
    public string StoragePath { get; set; } = "storage";

    [Required]
    public SmtpOptions Smtp { get; set; } = new();
}

public sealed class SmtpOptions
{
    [Required]
    public string Host { get; set; } = "localhost";

    [Range(1, 65535)]
    public int Port { get; set; } = 25;

    public bool UseTls { get; set; }
    public string? UserName { get; set; }
    public string? Password { get; set; }

    [Required, EmailAddress]
    public string From { get; set; } = "advisories@portal.local";
}

/// <summary>A start-up problem that deserves one line on stderr rather than a stack trace.</summary>
public sealed class StartupException(string message, Exception? inner = null) : Exception(message, inner);
