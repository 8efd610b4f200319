using System.ComponentModel.DataAnnotations;
using Portal.Web.Infrastructure.Storage;

namespace Portal.Web.Features.Evidence;

/// <summary>The "Portal:Evidence" settings.</summary>
public sealed class EvidenceOptions
{
    public const string Section = "Portal:Evidence";

    /// <summary>The largest evidence file accepted, in megabytes (1 MB = 1,048,576 bytes).</summary>
    [Range(1, 1_048_576)]
    public int MaxFileSizeMegabytes { get; set; } = 100;

    public long MaxFileBytes => MaxFileSizeMegabytes * (1L << 20);
}

public static class EvidenceSetup
{
    public static IServiceCollection AddPortalEvidence(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EvidenceOptions>().Bind(configuration.GetSection(EvidenceOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ContentStore>();
        return services;
    }
}
