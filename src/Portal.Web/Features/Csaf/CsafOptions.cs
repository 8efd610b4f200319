using System.ComponentModel.DataAnnotations;

namespace Portal.Web.Features.Csaf;

/// <summary>The "Portal:Csaf" section: who the CSAF documents and the provider name as their publisher.</summary>
public sealed class CsafOptions
{
    public const string Section = "Portal:Csaf";

    [Required, StringLength(200, MinimumLength = 1)]
    public string PublisherName { get; set; } = "Advisory Portal security unit";

    /// <summary>CSAF publisher category: the unit coordinates vendors' responses, so "coordinator" by default.</summary>
    [Required, RegularExpression("^(coordinator|discoverer|other|translator|user|vendor)$",
        ErrorMessage = "Portal:Csaf:PublisherCategory must be one of coordinator, discoverer, other, translator, user, vendor.")]
    public string PublisherCategory { get; set; } = "coordinator";

    /// <summary>How to reach the publisher about a document (CSAF publisher.contact_details); optional.</summary>
    [StringLength(1000)]
    public string? ContactDetails { get; set; }

    /// <summary>Who may issue the documents and on what authority (CSAF publisher.issuing_authority); optional.</summary>
    [StringLength(1000)]
    public string? IssuingAuthority { get; set; }

    /// <summary>provider-metadata.json: whether CSAF aggregators may list this provider (the standard's default is yes).</summary>
    public bool ListOnAggregators { get; set; } = true;

    /// <summary>provider-metadata.json: whether CSAF aggregators may mirror the TLP:WHITE documents (the standard's default is yes).</summary>
    public bool MirrorOnAggregators { get; set; } = true;
}

public static class CsafRegistration
{
    public static IServiceCollection AddPortalCsaf(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CsafOptions>().Bind(configuration.GetSection(CsafOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        return services;
    }
}
