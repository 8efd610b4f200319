using Portal.Web.Infrastructure.Background;

namespace Portal.Web.Features.VendorMembership;

public static class MembershipSetup
{
    public static IServiceCollection AddPortalVendorMembership(this IServiceCollection services)
    {
        services.AddScoped<EscalationMessages>();
        services.AddHostedService<MembershipRounds>();
        return services;
    }
}

/// <summary>Expires and escalates membership requests every 15 minutes (<see cref="MembershipRound"/>).</summary>
internal sealed class MembershipRounds(IServiceScopeFactory scopes, ILogger<MembershipRounds> logger)
    : PeriodicCommand<MembershipRound.Command, MembershipRound.Result>(scopes, logger)
{
    protected override TimeSpan Interval => TimeSpan.FromMinutes(15);

    protected override void Report(ILogger logger, MembershipRound.Result result)
    {
        if (result.Expired + result.Escalated > 0)
            logger.LogInformation("Vendor membership: {Expired} requests expired, {Escalated} escalated", result.Expired, result.Escalated);
    }
}
