using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Portal.Tests.Support;

/// <summary>
/// The real app, hosted in-process against one test database, with a clock the test controls. The
/// notification dispatcher's loop is off (tests send Dispatch.Command themselves) unless
/// <paramref name="settings"/>, applied last, turn it on.
/// </summary>
/// <param name="clock">Shared with another instance of the same deployment, so both read the same time (the
/// test clock moves when sign-ins use up authenticator codes, and deadlines and due times are compared with it).</param>
public sealed class PortalFactory(string connectionString, IReadOnlyDictionary<string, string?>? settings = null, TestClock? clock = null)
    : WebApplicationFactory<Program>
{
    public TestClock Clock { get; } = clock ?? new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Portal", connectionString);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Logging:Console:FormatterName", "simple");
        // The test server has no request body size feature: every upload would warn that its limit was not applied
        // (the limit itself is enforced by HostileInput.UsePortalRequestLimits and tested).
        builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore.Routing.EndpointRoutingMiddleware", "Error");
        builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore.Mvc.Filters.DisableRequestSizeLimitFilter", "Error");
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
            // Passwords hashed for the tests' accounts (the template's demo organisation, accounts tests create) take
            // 1,000 PBKDF2 iterations instead of the framework's 100,000: the suite signs in about a thousand times,
            // at some 100 ms of CPU each. The stored hash carries its count, so the production setting is unaffected;
            // StartupTests check that the shipped app's seed stores the full count.
            services.Configure<Microsoft.AspNetCore.Identity.PasswordHasherOptions>(o => o.IterationCount = 1_000);
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
        });
    }
}

/// <summary>
/// Real time plus an offset tests move by hand (deadlines, lockout expiry, reminders). It follows
/// the wall clock so that cookie lifetimes agree with the framework's own clock.
/// </summary>
/// <param name="drivesTheApp">False for a clock beside a shipped app process, which reads the real time: there,
/// moving this clock would not move the app's, so running out of authenticator codes means waiting.</param>
public sealed class TestClock(bool drivesTheApp = true) : TimeProvider
{
    private const int StepSeconds = 30;
    private readonly Dictionary<string, long> _lastSteps = new(StringComparer.OrdinalIgnoreCase);
    private readonly SemaphoreSlim _steps = new(1, 1);
    private TimeSpan _offset;

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.UtcNow + _offset;

    public void Advance(TimeSpan by) => _offset += by;

    /// <summary>
    /// The code an authenticator app would show for the account's next unused time step. An authenticator code
    /// is good once (docs/decisions/0021-one-time-authenticator-codes.md) and the app accepts two steps either side
    /// of now; tests sign the same officer in many times a minute, so each sign-in takes the next step, kept one
    /// step inside the app's window, and the clock moves on by whole steps when they run out.
    /// </summary>
    public Task<string> AuthenticatorCodeAsync(string account, string key) => WithAuthenticatorCodeAsync(account, key, Task.FromResult);

    /// <summary>
    /// As <see cref="AuthenticatorCodeAsync"/>, and no other code of this clock is handed out until
    /// <paramref name="use"/> has sent it: codes must reach the app in the order of their steps (a later step
    /// used first makes the earlier one stale), so parallel sign-ins take turns at the code step.
    /// </summary>
    public async Task<T> WithAuthenticatorCodeAsync<T>(string account, string key, Func<string, Task<T>> use)
    {
        await _steps.WaitAsync();
        try
        {
            var now = GetUtcNow().ToUnixTimeSeconds() / StepSeconds;
            var step = _lastSteps.TryGetValue(account, out var last) ? Math.Max(last + 1, now - 1) : now;
            if (step > now + 1)
            {
                if (drivesTheApp)
                    Advance(TimeSpan.FromSeconds(StepSeconds * (step - 1 - now)));
                else
                    await Task.Delay(DateTimeOffset.FromUnixTimeSeconds(StepSeconds * (step - 1)) - GetUtcNow() + TimeSpan.FromSeconds(1));
            }
            _lastSteps[account] = step;
            return await use(Totp.Code(key, DateTimeOffset.FromUnixTimeSeconds(step * StepSeconds)));
        }
        finally
        {
            _steps.Release();
        }
    }
}
