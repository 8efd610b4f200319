using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Portal.Tests.Support;

/// <summary>
/// The real app, hosted in-process against one test database, with a clock the test controls. The
/// notification dispatcher's loop is off (tests send Dispatch.Command themselves) unless
/// <paramref name="settings"/>, applied last, turn it on.
/// </summary>
public sealed class PortalFactory(string connectionString, IReadOnlyDictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
{
    public TestClock Clock { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Portal", connectionString);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Logging:Console:FormatterName", "simple");
        builder.UseSetting("Portal:Dispatch:Enabled", "false");
        // Confirmed device imports wait for the test to send RunImport.Command, as the dispatcher waits for Dispatch.Command.
        builder.UseSetting("Portal:Devices:ImportWorkerEnabled", "false");
        // Tests sign in many times a minute from one address; the limit itself is tested with its own setting.
        builder.UseSetting(Portal.Web.Infrastructure.Web.Hardening.PerMinuteSetting, "100000");
        foreach (var (key, value) in TestCertificate.Settings())
            builder.UseSetting(key, value);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            builder.UseSetting(key, value);
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
        });
    }
}

/// <summary>
/// Real time plus an offset tests move by hand (deadlines, lockout expiry, reminders). It follows
/// the wall clock so that authenticator codes and cookie lifetimes agree with the framework's own clock.
/// </summary>
public sealed class TestClock : TimeProvider
{
    private TimeSpan _offset;

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.UtcNow + _offset;

    public void Advance(TimeSpan by) => _offset += by;
}
