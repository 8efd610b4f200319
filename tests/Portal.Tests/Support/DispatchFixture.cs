using Portal.Web.Domain;
using Portal.Web.Features.Notifications;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;

namespace Portal.Tests.Support;

/// <summary>
/// One database and one app per test class, as <see cref="PortalFixture"/>, with the app's SMTP settings
/// pointing at a real SMTP sink and its SMS settings at a stand-in gateway. The dispatcher's loop is off:
/// tests send <see cref="Dispatch.Command"/> as the loop would.
/// </summary>
public sealed class DispatchFixture : IAsyncLifetime
{
    public SmtpSink Smtp { get; private set; } = null!;
    public SmsGateway Sms { get; private set; } = null!;
    public PortalFixture Portal { get; private set; } = null!;
    public TestClock Clock => Portal.Factory.Clock;

    public const int MaxAttempts = 3;
    public const int BaseDelaySeconds = 30;
    public const int Concurrency = 4;

    public Dictionary<string, string?> Settings => new()
    {
        ["Portal:Smtp:Host"] = "127.0.0.1",
        ["Portal:Smtp:Port"] = Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Portal:Smtp:Security"] = "None",
        ["Portal:Smtp:From"] = "advisories@portal.example",
        // Generous: the sink answers at once on a quiet machine, and at load 50+ a 10 s timeout failed sends the tests expect to succeed.
        ["Portal:Smtp:TimeoutSeconds"] = "60",
        ["Portal:Sms:GatewayUrl"] = Sms.Url,
        ["Portal:Sms:ApiKey"] = SmsGateway.ApiKey,
        ["Portal:Dispatch:MaxAttempts"] = MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Portal:Dispatch:BaseDelaySeconds"] = BaseDelaySeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Portal:Dispatch:Concurrency"] = Concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public async Task InitializeAsync()
    {
        Smtp = await SmtpSink.StartAsync();
        Sms = await SmsGateway.StartAsync();
        Portal = new PortalFixture(Settings);
        await Portal.InitializeAsync();
        // The demo organisation comes with published circulars and their outbox: send it first, so each
        // test sees only what it publishes itself.
        await DispatchAsync();
        Smtp.Clear();
        Sms.Clear();
    }

    public async Task DisposeAsync()
    {
        if (Portal is not null) await Portal.DisposeAsync();
        if (Sms is not null) await Sms.DisposeAsync();
        if (Smtp is not null) await Smtp.DisposeAsync();
    }

    /// <summary>
    /// Moves the app's clock on until disposed. Authenticator codes follow the real clock, so a test that
    /// moved time and left it there would stop later tests of the class from signing in.
    /// </summary>
    public TimeTravel Travel() => new(Clock);

    public sealed class TimeTravel(TestClock clock) : IDisposable
    {
        private TimeSpan _total;

        public void Advance(TimeSpan by)
        {
            clock.Advance(by);
            _total += by;
        }

        public void Dispose() => clock.Advance(-_total);
    }

    /// <summary>Another app instance on the same database, as a second server behind the load balancer would be.</summary>
    public PortalFactory AnotherInstance(Dictionary<string, string?>? extra = null)
    {
        var settings = Settings;
        foreach (var (key, value) in extra ?? [])
            settings[key] = value;
        return new PortalFactory(Portal.ConnectionString, settings, Portal.Factory.Clock);
    }

    public Task<Dispatch.Result> DispatchAsync(int batchSize = 10_000) => Portal.SendAsync(new Dispatch.Command(batchSize));

    public static async Task<Dispatch.Result> DispatchAsync(PortalFactory instance, CancellationToken ct = default, int batchSize = 10_000)
    {
        await using var scope = instance.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new Dispatch.Command(batchSize), ct);
    }

    /// <summary>The e-mail and SMS notifications of a circular (in-app ones are never dispatched).</summary>
    public Task<List<Notification>> OutboxAsync(Guid circularId) => Portal.Db(db => db.Notifications.AsNoTracking()
        .Where(n => n.CircularId == circularId && n.Channel != NotificationChannel.InApp).OrderBy(n => n.Id).ToListAsync());

    public Task<List<NotificationAttempt>> AttemptsAsync(IEnumerable<long> notificationIds)
    {
        var ids = notificationIds.ToArray();
        return Portal.Db(db => db.NotificationAttempts.AsNoTracking().Where(a => ids.Contains(a.NotificationId)).OrderBy(a => a.Id).ToListAsync());
    }
}
