using System.ComponentModel.DataAnnotations;

namespace Portal.Web.Features.Devices;

public sealed class DevicesOptions
{
    public const string Section = "Portal:Devices";

    /// <summary>How often the full compliance scan and the exemption expiry run.</summary>
    [Range(60, 7 * 24 * 3600)]
    public int ScanIntervalSeconds { get; set; } = 3600;

    /// <summary>The largest MDM export accepted, in megabytes.</summary>
    [Range(1, 500)]
    public int ImportMaxMegabytes { get; set; } = 50;

    [Range(1, 2_000_000)]
    public int ImportMaxRows { get; set; } = 500_000;
}

public static class DevicesRegistration
{
    public static IServiceCollection AddPortalDevices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DevicesOptions>().Bind(configuration.GetSection(DevicesOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<Compliance>();
        services.AddScoped<DeviceImporter>();
        services.AddScoped<Recatalogue>();
        services.AddHostedService<ComplianceScanning>();
        return services;
    }
}
