using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace Portal.Tests;

/// <summary>
/// Two shipped portal processes sharing one database, one evidence folder and one SMTP server, behind
/// nginx (scripts/balancer.sh, as ./run.sh --instances 2 runs them). Each also serves Prometheus metrics
/// on its own metrics port. nginx also terminates TLS on a second port, and connects to the instances from
/// <see cref="ProxyAddress"/>, the one proxy they believe (Portal:Proxy:KnownProxies).
/// </summary>
public sealed class ScaleOutFixture : IAsyncLifetime
{
    private readonly string _work = Path.Combine(Path.GetTempPath(), "portal-scale-" + Guid.NewGuid().ToString("N")[..12]);

    public string Database { get; private set; } = "";
    public SmtpSink Smtp { get; private set; } = null!;
    public ShippedApp A { get; private set; } = null!;
    public ShippedApp B { get; private set; } = null!;
    public ShippedApp Balancer { get; private set; } = null!;
    public int MetricsPortA { get; } = ShippedApp.FreePort();
    public int MetricsPortB { get; } = ShippedApp.FreePort();
    public int TlsPort { get; } = ShippedApp.FreePort();

    /// <summary>The loopback address nginx connects to the instances from; other local addresses are clients.</summary>
    public const string ProxyAddress = "127.0.0.2";

    public async Task InitializeAsync()
    {
        Database = await TestDatabases.CreateAsync();
        Smtp = await SmtpSink.StartAsync();
        Directory.CreateDirectory(Path.Combine(_work, "storage"));
        var balancerPort = ShippedApp.FreePort();
        int portA = ShippedApp.FreePort(), portB = ShippedApp.FreePort();
        Dictionary<string, string> Settings(int metricsPort) => new()
        {
            ["ConnectionStrings__Portal"] = TestDatabases.For(Database),
            ["Portal__BaseUrl"] = $"http://127.0.0.1:{balancerPort}",
            ["Portal__StoragePath"] = Path.Combine(_work, "storage"),
            ["Portal__Smtp__Host"] = "127.0.0.1",
            ["Portal__Smtp__Port"] = Smtp.Port.ToString(CultureInfo.InvariantCulture),
            ["Portal__Smtp__Security"] = "None",
            ["Portal__Dispatch__Enabled"] = "true",
            ["Portal__Dispatch__IntervalSeconds"] = "1",
            ["Portal__Telemetry__MetricsPort"] = metricsPort.ToString(CultureInfo.InvariantCulture),
            ["Portal__Proxy__KnownProxies__0"] = ProxyAddress,
            ["Logging__Console__FormatterName"] = "json",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Portal"] = "Information",
        };
        try
        {
            var a = ShippedApp.StartPortalAsync(portA, Settings(MetricsPortA));
            var b = ShippedApp.StartPortalAsync(portB, Settings(MetricsPortB));
            A = await a;
            B = await b;
            var (certificate, key) = WriteTlsCertificate(Path.Combine(_work, "tls"));
            Balancer = await ShippedApp.StartBalancerAsync(Path.Combine(_work, "nginx"), balancerPort, [portA, portB], new Dictionary<string, string>
            {
                ["BALANCER_TLS_PORT"] = TlsPort.ToString(CultureInfo.InvariantCulture),
                ["BALANCER_TLS_CERT"] = certificate,
                ["BALANCER_TLS_KEY"] = key,
                ["BALANCER_PROXY_BIND"] = ProxyAddress,
            });
        }
        catch
        {
            // Whatever did start stops now, not at the end of the test run.
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        if (Balancer is not null) await Balancer.DisposeAsync();
        if (A is not null) await A.DisposeAsync();
        if (B is not null) await B.DisposeAsync();
        if (Smtp is not null) await Smtp.DisposeAsync();
        if (Database.Length > 0) await TestDatabases.DropAsync(Database);
        try { Directory.Delete(_work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>A self-signed certificate and its key, as PEM files, for nginx's TLS port.</summary>
    private static (string Certificate, string Key) WriteTlsCertificate(string directory)
    {
        Directory.CreateDirectory(directory);
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=127.0.0.1", rsa,
            System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddYears(100));
        var (certificatePath, keyPath) = (Path.Combine(directory, "portal.crt"), Path.Combine(directory, "portal.key"));
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, rsa.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }

    /// <summary>
    /// An HTTP client whose connections come from <paramref name="localAddress"/> (any 127.x address is this
    /// machine), so the instances and nginx see different clients; TLS certificates are not checked (self-signed).
    /// </summary>
    public static HttpClient From(string localAddress, Uri baseAddress, CookieContainer? cookies = null) =>
        new(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            CookieContainer = cookies ?? new CookieContainer(),
            SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true },
            ConnectCallback = async (context, ct) =>
            {
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse(localAddress), 0));
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                    return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        }) { BaseAddress = baseAddress };

    public Uri TlsUrl => new($"https://127.0.0.1:{TlsPort}");

    /// <summary>A browser: one cookie jar, whichever instance (or the balancer) it talks to.</summary>
    public sealed class Browser(CookieContainer cookies, TestClock clock)
    {
        public PortalClient Via(ShippedApp server) =>
            new(new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = server.Url }, clock);
    }

    /// <summary>One clock for every browser: it hands out each officer's authenticator codes in order.</summary>
    public TestClock Clock { get; } = new(drivesTheApp: false);

    public Browser NewBrowser() => new(new CookieContainer(), Clock);

    public async Task<T> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(TestDatabases.For(Database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var p in parameters) command.Parameters.AddWithValue(p);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Drafted, given a rule and an audience, submitted on one instance; approved (published) on the other.</summary>
    public async Task<Guid> PublishAsync(string title, PortalClient officer, PortalClient approver)
    {
        var drafted = await officer.PostFormAsync("/circulars/new", Scenarios.DraftFields(Clock, title));
        drafted.StatusCode.ShouldBe(HttpStatusCode.Redirect, await drafted.Content.ReadAsStringAsync());
        var id = Guid.Parse(drafted.Headers.Location!.OriginalString.Split('/').Last());
        var manufacturer = await ScalarAsync<Guid>("SELECT id FROM manufacturers WHERE name = 'Xiaomi'");
        var model = await ScalarAsync<Guid>("SELECT id FROM device_models WHERE marketing_name = 'Redmi 1S'");
        var unit = await ScalarAsync<Guid>("SELECT id FROM units WHERE code = 'AC'");
        await PostAsync(officer, id, "rules", new() { ["ManufacturerId"] = manufacturer.ToString(), ["DeviceModelId"] = model.ToString(), ["Action"] = "Banned" });
        await PostAsync(officer, id, "audience", new() { ["UnitId"] = unit.ToString() });
        await PostAsync(officer, id, "submit", []);
        await PostAsync(approver, id, "approve", []);
        (await ScalarAsync<string>("SELECT status FROM circulars WHERE id = $1", id)).ShouldBe("Published");
        return id;
    }

    private async Task PostAsync(PortalClient client, Guid id, string verb, Dictionary<string, string> fields)
    {
        fields["Version"] = (await ScalarAsync<string>("SELECT xmin::text FROM circulars WHERE id = $1", id));
        var response = await client.PostFormAsync($"/circulars/{id}/{verb}", fields, $"/circulars/{id}");
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, $"{verb}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Waits until both dispatchers have worked off every due e-mail of the circular.</summary>
    public async Task WaitForDispatchAsync(Guid circular)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            if (await ScalarAsync<long>("SELECT count(*) FROM notifications WHERE circular_id = $1 AND state = 'Pending'", circular) == 0)
                return;
            await Task.Delay(200);
        }
        throw new TimeoutException("The dispatchers left notifications pending.");
    }

    public async Task<long[]> SentEmailsAsync(Guid circular)
    {
        await using var connection = new NpgsqlConnection(TestDatabases.For(Database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT id FROM notifications WHERE circular_id = $1 AND channel = 'Email' AND state = 'Sent' ORDER BY id", connection);
        command.Parameters.AddWithValue(circular);
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<long>();
        while (await reader.ReadAsync()) ids.Add(reader.GetInt64(0));
        return [.. ids];
    }

    /// <summary>Reads one Prometheus series from both instances' metrics ports and adds them up (label filter optional).</summary>
    public async Task<double> MetricAsync(string name, string? label = null)
    {
        var total = 0.0;
        foreach (var port in new[] { MetricsPortA, MetricsPortB })
        {
            using var http = new HttpClient();
            var text = await http.GetStringAsync($"http://127.0.0.1:{port}/metrics");
            foreach (Match m in Regex.Matches(text, $@"^{Regex.Escape(name)}(\{{(?<labels>[^}}]*)\}})? (?<value>\S+)", RegexOptions.Multiline))
                if (label is null || m.Groups["labels"].Value.Contains(label, StringComparison.Ordinal))
                    total += double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
        }
        return total;
    }
}

public sealed class ScaleOutTests(ScaleOutFixture fixture) : IClassFixture<ScaleOutFixture>
{
    [Fact]
    public async Task A_sign_in_on_one_instance_holds_on_the_other_and_its_forms_post_there()
    {
        var browser = fixture.NewBrowser();
        var onA = browser.Via(fixture.A);
        var onB = browser.Via(fixture.B);

        await onA.SignInAsync(Scenarios.Officer);
        var page = await onB.Http.GetAsync("/circulars/new");

        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        var token = await onA.AntiforgeryTokenAsync("/circulars/new");
        var body = new Dictionary<string, string>(Scenarios.DraftFields(fixture.Clock, "Drafted across instances")) { ["__RequestVerificationToken"] = token };
        var drafted = await onB.Http.PostAsync("/circulars/new", new FormUrlEncodedContent(body));
        drafted.StatusCode.ShouldBe(HttpStatusCode.Redirect, await drafted.Content.ReadAsStringAsync());
        (await fixture.ScalarAsync<long>("SELECT count(*) FROM circulars WHERE title = 'Drafted across instances'")).ShouldBe(1);
    }

    [Fact]
    public async Task Publication_and_dispatch_across_two_instances_send_every_message_exactly_once()
    {
        var officer = fixture.NewBrowser().Via(fixture.A);
        var approver = fixture.NewBrowser().Via(fixture.B);
        await officer.SignInAsync(Scenarios.Officer);
        await approver.SignInAsync(Scenarios.Approver);

        var id = await fixture.PublishAsync("Published across instances", officer, approver);
        await fixture.WaitForDispatchAsync(id);

        var sent = await fixture.SentEmailsAsync(id);
        sent.ShouldNotBeEmpty();
        var received = fixture.Smtp.Messages();
        received.Select(m => m.NotificationId).Where(n => n is not null).GroupBy(n => n).Where(g => g.Count() > 1).Select(g => g.Key)
            .ShouldBeEmpty("a notification was sent twice");
        fixture.Smtp.MessagesFor(sent).Select(m => m.NotificationId!.Value).Order().ShouldBe(sent);
    }

    [Fact]
    public async Task Metrics_show_the_counters_moving_after_a_publication_a_dispatch_and_an_acknowledgement()
    {
        var sentBefore = await fixture.MetricAsync("portal_notifications_sent_total", "channel=\"Email\"");
        var fanOutsBefore = await fixture.MetricAsync("portal_publication_fanout_duration_seconds_count");
        var acknowledgementsBefore = await fixture.MetricAsync("portal_acknowledgements_total");
        var officer = fixture.NewBrowser().Via(fixture.Balancer);
        var approver = fixture.NewBrowser().Via(fixture.Balancer);
        var staff = fixture.NewBrowser().Via(fixture.Balancer);
        await officer.SignInAsync(Scenarios.Officer);
        await approver.SignInAsync(Scenarios.Approver);
        await staff.SignInAsync(Scenarios.Staff);

        var id = await fixture.PublishAsync("Counted", officer, approver);
        await fixture.WaitForDispatchAsync(id);
        var acknowledged = await staff.PostFormAsync($"/circulars/{id}/acknowledge", new() { ["Revision"] = "1" }, $"/circulars/{id}");

        acknowledged.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var sent = (await fixture.SentEmailsAsync(id)).Length;
        (await fixture.MetricAsync("portal_notifications_sent_total", "channel=\"Email\"")).ShouldBeGreaterThanOrEqualTo(sentBefore + sent);
        (await fixture.MetricAsync("portal_publication_fanout_duration_seconds_count")).ShouldBeGreaterThanOrEqualTo(fanOutsBefore + 1);
        (await fixture.MetricAsync("portal_acknowledgements_total", "channel=\"Portal\"")).ShouldBeGreaterThanOrEqualTo(acknowledgementsBefore + 1);
        (await fixture.MetricAsync("portal_outbox_depth")).ShouldBeGreaterThanOrEqualTo(0);
        (await fixture.MetricAsync("http_server_request_duration_seconds_count")).ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Metrics_are_refused_on_the_main_port_and_through_the_balancer_and_the_metrics_port_serves_nothing_else()
    {
        using var http = new HttpClient();

        (await http.GetAsync(new Uri(fixture.A.Url, "/metrics"))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await http.GetAsync(new Uri(fixture.Balancer.Url, "/metrics"))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var spoofed = new HttpRequestMessage(HttpMethod.Get, new Uri(fixture.B.Url, "/metrics"));
        spoofed.Headers.Host = $"127.0.0.1:{fixture.MetricsPortB}";
        (await http.SendAsync(spoofed)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await http.GetAsync($"http://127.0.0.1:{fixture.MetricsPortA}/account/sign-in")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var scrape = await http.GetAsync($"http://127.0.0.1:{fixture.MetricsPortA}/metrics");
        scrape.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await scrape.Content.ReadAsStringAsync()).ShouldContain("portal_outbox_depth");
    }

    [Fact]
    public async Task A_requests_log_lines_carry_its_trace_id()
    {
        var browser = fixture.NewBrowser().Via(fixture.A);
        await browser.SignInAsync(Scenarios.Staff);
        (await browser.Http.GetAsync("/circulars")).StatusCode.ShouldBe(HttpStatusCode.OK);

        fixture.A.Output.ShouldContain(line => line.Contains("\"Handled ", StringComparison.Ordinal)
            && Regex.IsMatch(line, "\"TraceId\":\"[0-9a-f]{32}\""), string.Join('\n', fixture.A.Output.TakeLast(5)));
    }

    [Fact]
    public async Task The_client_address_nginx_forwards_is_believed_and_a_forwarded_address_from_anyone_else_is_not()
    {
        const string client = "127.0.0.5";
        using var viaNginx = ScaleOutFixture.From(client, fixture.Balancer.Url);
        using var empty = new FormUrlEncodedContent([]);
        // Each instance keeps its own per-address window (Portal:RateLimits:AnonymousPerMinute, 20): round robin fills both.
        var answers = new List<HttpStatusCode>();
        while (answers.LastOrDefault() != HttpStatusCode.TooManyRequests && answers.Count < 60)
            answers.Add((await viaNginx.PostAsync("/account/sign-in", empty)).StatusCode);
        answers.Last().ShouldBe(HttpStatusCode.TooManyRequests, "nginx's X-Forwarded-For put every request in the client's window");

        foreach (var instance in new[] { fixture.A, fixture.B })
        {
            using var fromTheProxy = ScaleOutFixture.From(ScaleOutFixture.ProxyAddress, instance.Url);
            fromTheProxy.DefaultRequestHeaders.Add("X-Forwarded-For", client);
            (await fromTheProxy.PostAsync("/account/sign-in", empty)).StatusCode.ShouldBe(HttpStatusCode.TooManyRequests, "the known proxy speaks for the client");

            using var fromAnyoneElse = ScaleOutFixture.From("127.0.0.3", instance.Url);
            fromAnyoneElse.DefaultRequestHeaders.Add("X-Forwarded-For", client);
            (await fromAnyoneElse.PostAsync("/account/sign-in", empty)).StatusCode.ShouldBe(HttpStatusCode.BadRequest,
                "an unknown sender's X-Forwarded-For is ignored: its own address has its own window");
        }
    }

    [Fact]
    public async Task Behind_nginx_terminating_tls_the_sign_in_cookie_is_secure_and_a_forwarded_scheme_from_anyone_else_is_ignored()
    {
        static async Task<string> SignInCookieAsync(HttpClient http)
        {
            var signedIn = await new PortalClient(http, new TestClock(drivesTheApp: false))
                .PostFormAsync("/account/sign-in", new() { ["Email"] = Scenarios.Staff, ["Password"] = Portal.Web.Data.DemoData.Password });
            signedIn.StatusCode.ShouldBe(HttpStatusCode.Redirect);
            return signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("portal.auth=", StringComparison.Ordinal));
        }

        using var overTls = ScaleOutFixture.From("127.0.0.6", fixture.TlsUrl);
        (await SignInCookieAsync(overTls)).ShouldContain("; secure", Case.Insensitive);

        using var fromTheProxy = ScaleOutFixture.From(ScaleOutFixture.ProxyAddress, fixture.A.Url);
        fromTheProxy.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        (await SignInCookieAsync(fromTheProxy)).ShouldContain("; secure", Case.Insensitive);

        using var fromAnyoneElse = ScaleOutFixture.From("127.0.0.7", fixture.B.Url);
        fromAnyoneElse.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        (await SignInCookieAsync(fromAnyoneElse)).ShouldNotContain("; secure", Case.Insensitive);
    }

    [Fact]
    public async Task Evidence_uploaded_through_one_instance_is_downloaded_through_the_other()
    {
        var browser = fixture.NewBrowser();
        var onA = browser.Via(fixture.A);
        var onB = browser.Via(fixture.B);
        await onA.SignInAsync(Scenarios.Officer);
        var drafted = await onA.PostFormAsync("/circulars/new", Scenarios.DraftFields(fixture.Clock, "Evidence across instances"));
        drafted.StatusCode.ShouldBe(HttpStatusCode.Redirect, await drafted.Content.ReadAsStringAsync());
        var id = Guid.Parse(drafted.Headers.Location!.OriginalString.Split('/').Last());
        var recorded = await onA.PostFormAsync($"/circulars/{id}/evidence/new", new()
        {
            ["Title"] = "Capture across instances", ["Lab"] = "Defence device lab", ["TestedOn"] = "2026-03-02",
            ["DeviceTested"] = "Redmi 1S (2014011)", ["FirmwareTested"] = "V5.7.4", ["Method"] = "Traffic captured on first start.",
        });
        recorded.StatusCode.ShouldBe(HttpStatusCode.Redirect, await recorded.Content.ReadAsStringAsync());
        var evidenceId = Guid.Parse(recorded.Headers.Location!.OriginalString.Split('/').Last());
        var bytes = "%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"u8.ToArray();

        using var form = new MultipartFormDataContent
        {
            { new StringContent(await onA.AntiforgeryTokenAsync($"/circulars/{id}")), "__RequestVerificationToken" },
            { new StringContent(await fixture.ScalarAsync<string>("SELECT xmin::text FROM evidence WHERE id = $1", evidenceId)), "Version" },
        };
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/pdf");
        form.Add(file, "File", "capture.pdf");
        (await onA.Http.PostAsync($"/circulars/{id}/evidence/{evidenceId}/files", form)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var fileId = await fixture.ScalarAsync<Guid>("SELECT id FROM evidence_files WHERE evidence_id = $1", evidenceId);

        var download = await onB.Http.GetAsync($"/circulars/{id}/evidence/{evidenceId}/files/{fileId}");

        download.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await download.Content.ReadAsByteArrayAsync()).ShouldBe(bytes);
    }
}
