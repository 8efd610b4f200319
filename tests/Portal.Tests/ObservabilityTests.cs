using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portal.Web.Domain;

namespace Portal.Tests;

/// <summary>/health/ready with the dispatcher's backlog, and the key ring at rest. Metrics over real ports: ScaleOutTests.</summary>
public sealed class ObservabilityTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private async Task<JsonElement> ReadinessAsync()
    {
        var response = await fixture.Client().Http.GetAsync("/health/ready");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    private static JsonElement Check(JsonElement report, string name) =>
        report.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    [Fact]
    public async Task Readiness_is_degraded_once_the_oldest_due_notification_has_waited_past_the_limit()
    {
        var now = fixture.Factory.Clock.GetUtcNow();
        await fixture.Db(db => db.Database.ExecuteSqlAsync($"UPDATE notifications SET next_attempt_at = {now} WHERE state = 'Pending'"));
        await fixture.Db(db => db.Database.ExecuteSqlAsync($"""
            INSERT INTO notifications (circular_id, revision_number, purpose, channel, staff_member_id, address, language, state, attempts, next_attempt_at, created_at)
            SELECT circular_id, revision_number, 'Published', 'Email', staff_member_id, 'late@portal.example', 'en', 'Pending', 0, {now}, {now}
            FROM acknowledgement_requests LIMIT 1
            """));

        var fresh = await ReadinessAsync();
        fixture.Factory.Clock.Advance(TimeSpan.FromMinutes(31));
        JsonElement late;
        try
        {
            late = await ReadinessAsync();
        }
        finally
        {
            fixture.Factory.Clock.Advance(TimeSpan.FromMinutes(-31));
        }

        fresh.GetProperty("status").GetString().ShouldBe("Healthy");
        Check(fresh, "dispatch").GetProperty("data").GetProperty("pending").GetInt64().ShouldBeGreaterThan(0);
        late.GetProperty("status").GetString().ShouldBe("Degraded");
        Check(late, "dispatch").GetProperty("status").GetString().ShouldBe("Degraded");
        Check(late, "dispatch").GetProperty("description").GetString()!.ShouldContain("waited 31 minute(s), more than 30");
        Check(late, "database").GetProperty("status").GetString().ShouldBe("Healthy");
    }

    [Fact]
    public async Task The_key_ring_is_stored_encrypted_with_the_configured_certificate()
    {
        var staff = await fixture.SignedInAs(Scenarios.Staff);
        (await staff.Http.GetAsync("/inbox")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var keys = await fixture.Db(db => db.DataProtectionKeys.Select(k => k.Xml).ToListAsync());
        keys.ShouldNotBeEmpty();
        keys.ShouldAllBe(xml => xml.Contains("<encryptedSecret") && xml.Contains("EncryptedXmlDecryptor") && !xml.Contains("<masterKey"));
    }

    [Fact]
    public async Task Metrics_are_not_served_without_a_metrics_port()
    {
        (await fixture.Client().Http.GetAsync("/metrics")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var officer = await fixture.SignedInAs(Scenarios.Officer);
        (await officer.Http.GetAsync("/metrics")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Metrics_on_the_main_port_are_served_to_the_configured_role_and_refused_to_the_others()
    {
        await using var withRole = fixture.Factory.WithWebHostBuilder(b => b.UseSetting("Portal:Telemetry:MetricsRole", Roles.Auditor));
        PortalClient Client() => new(withRole.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true }), fixture.Clock);
        var auditor = Client();
        await auditor.SignInAsync(Scenarios.Auditor);
        var staff = Client();
        await staff.SignInAsync(Scenarios.Staff);

        var scrape = await auditor.Http.GetAsync("/metrics");
        scrape.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await scrape.Content.ReadAsStringAsync()).ShouldContain("# TYPE ");
        (await staff.Http.GetAsync("/metrics")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var anonymous = await Client().Http.GetAsync("/metrics");
        anonymous.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        anonymous.Headers.Location!.OriginalString.ShouldContain("/account/sign-in");
    }

    [Fact]
    public async Task After_a_certificate_rotation_keys_written_under_the_old_one_still_decrypt_and_new_keys_use_the_new_one()
    {
        using var oldCertificate = X509CertificateLoader.LoadPkcs12FromFile(TestCertificate.Path, TestCertificate.Password);
        var newPath = TestCertificate.Create();
        using var newCertificate = X509CertificateLoader.LoadPkcs12FromFile(newPath, TestCertificate.Password);
        var before = await fixture.Db(db => db.DataProtectionKeys.Select(k => k.Id).ToListAsync());
        var secret = fixture.Factory.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("rotation").Protect("written before the rotation");
        WebApplicationFactory<Program> Rotated(bool keepingTheOldOne) => fixture.Factory.WithWebHostBuilder(b =>
        {
            b.UseSetting("Portal:DataProtection:CertificatePath", newPath);
            if (!keepingTheOldOne) return;
            b.UseSetting("Portal:DataProtection:PreviousCertificates:0:Path", TestCertificate.Path);
            b.UseSetting("Portal:DataProtection:PreviousCertificates:0:Password", TestCertificate.Password);
        });
        try
        {
            await using var rotated = Rotated(keepingTheOldOne: true);
            rotated.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("rotation").Unprotect(secret).ShouldBe("written before the rotation");
            var now = fixture.Clock.GetUtcNow();
            // Activated far ahead, so no other host of this database takes it as its default meanwhile.
            var key = rotated.Services.GetRequiredService<IKeyManager>().CreateNewKey(now.AddYears(1), now.AddYears(1).AddDays(90));
            var written = await fixture.Db(db => db.DataProtectionKeys.Where(k => k.FriendlyName == $"key-{key.KeyId}").Select(k => k.Xml).SingleAsync());
            written.ShouldContain(Convert.ToBase64String(newCertificate.RawData));
            written.ShouldNotContain(Convert.ToBase64String(oldCertificate.RawData));

            await using var forgetful = Rotated(keepingTheOldOne: false);
            Should.Throw<CryptographicException>(() => forgetful.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("rotation").Unprotect(secret),
                "without the previous certificate the old key cannot be read");
        }
        finally
        {
            await fixture.Db(db => db.DataProtectionKeys.Where(k => !before.Contains(k.Id)).ExecuteDeleteAsync());
        }
    }

    [Fact]
    public async Task A_timers_routine_commands_log_at_debug_and_commands_sent_for_a_request_at_information()
    {
        var log = new CapturedLog();
        await using var app = WithCapturedLog(log, LogLevel.Debug);
        async Task SendAsync()
        {
            await using var scope = app.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<Mediator.IMediator>().Send(new Portal.Web.Features.Circulars.PublishDue.Command());
        }

        await SendAsync();
        await Task.Run(async () =>
        {
            Portal.Web.Infrastructure.Pipeline.RoutineWork.Begin();
            await SendAsync();
        });

        // The app's own timers may also send it meanwhile: they are routine too, so they can only add Debug lines.
        var handled = log.Entries.Where(e => e.Message.StartsWith("Handled PublishDue.Command", StringComparison.Ordinal)).ToList();
        handled.Count(e => e.Level == LogLevel.Information).ShouldBe(1);
        handled.ShouldContain(e => e.Level == LogLevel.Debug);
    }

    [Fact]
    public async Task A_clients_mistakes_and_a_family_link_page_leave_no_warning_or_error_in_the_log()
    {
        var log = new CapturedLog();
        await using var app = WithCapturedLog(log, LogLevel.Warning);
        var client = new PortalClient(app.CreateClient(new() { AllowAutoRedirect = false }), fixture.Factory.Clock);

        // A form that cannot even be read (the exception handler answers it) and a family link page with its form.
        var unreadable = await client.PostFormAsync("/account/sign-in", new() { ["Email"] = "nobody\0@x.example", ["Password"] = "whatever" });
        var family = await client.Http.GetAsync("/family/not-a-token");
        // An authorization request OpenIddict refuses: its "no-store" answer is re-executed as the error page, with its form.
        var authorize = await client.Http.GetAsync("/connect/authorize?client_id=nobody&response_type=code&scope=openid&redirect_uri=https%3A%2F%2Fclient.example%2Fcallback");

        unreadable.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        ((int)authorize.StatusCode).ShouldBeInRange(400, 499);
        authorize.Headers.CacheControl!.NoCache.ShouldBeTrue();
        (await authorize.Content.ReadAsStringAsync()).ShouldContain("__RequestVerificationToken");
        family.Headers.CacheControl!.NoStore.ShouldBeTrue();
        family.Headers.CacheControl.NoCache.ShouldBeTrue();
        (await family.Content.ReadAsStringAsync()).ShouldContain("__RequestVerificationToken");
        log.Entries.Where(e => e.Level >= LogLevel.Warning).Select(e => e.Message).ShouldBeEmpty();
    }

    /// <summary>A host of the fixture's app whose log from <paramref name="minimum"/> up also goes to <paramref name="log"/>.</summary>
    private WebApplicationFactory<Program> WithCapturedLog(CapturedLog log, LogLevel minimum) =>
        fixture.Factory.WithWebHostBuilder(b => b.ConfigureLogging(l =>
        {
            l.AddProvider(log);
            l.AddFilter<CapturedLog>(null, minimum);
        }));

    private sealed class CapturedLog : ILoggerProvider
    {
        public System.Collections.Concurrent.ConcurrentQueue<(LogLevel Level, string Message)> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(Entries);

        public void Dispose() { }

        private sealed class Logger(System.Collections.Concurrent.ConcurrentQueue<(LogLevel, string)> entries) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                entries.Enqueue((logLevel, formatter(state, exception)));
        }
    }
}
