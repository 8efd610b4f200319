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

    /// <summary>Whether this instance runs confirmed imports (any number of instances may).</summary>
    public bool ImportWorkerEnabled { get; set; } = true;

    /// <summary>How often an idle import worker looks for a confirmed import.</summary>
    [Range(100, 60_000)]
    public int ImportPollMilliseconds { get; set; } = 1000;
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
        services.AddHostedService<ImportRunning>();
        return services;
    }
}
