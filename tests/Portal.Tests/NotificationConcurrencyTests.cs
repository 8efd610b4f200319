using Npgsql;
using Portal.Web.Domain;

namespace Portal.Tests;

/// <summary>Every message reaches the sink once, however many dispatchers run and whenever one of them is stopped.</summary>
public sealed class NotificationConcurrencyTests(DispatchFixture fixture) : IClassFixture<DispatchFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private PortalFixture Portal => fixture.Portal;

    [Fact]
    public async Task Two_app_instances_dispatching_at_once_send_every_message_exactly_once()
    {
        var smsBefore = fixture.Sms.Requests.Count;
        var id = await Portal.PublishedCircularAsync("Two servers, one outbox", TlpLabel.Green, "AC", families: true);
        var outbox = await fixture.OutboxAsync(id);
        await using var other = fixture.AnotherInstance();
        _ = other.Services;
        fixture.Smtp.Delay(TimeSpan.FromMilliseconds(100));
        try
        {
            var results = await Task.WhenAll(fixture.DispatchAsync(), DispatchFixture.DispatchAsync(other));

            results.Sum(r => r.Claimed).ShouldBe(outbox.Count);
            results.ShouldAllBe(r => r.Claimed > 0, "both instances should have taken a share");
        }
        finally
        {
            fixture.Smtp.Delay(TimeSpan.Zero);
        }

        await ShouldHaveBeenSentOnceAsync(id, smsBefore);
    }

    [Fact]
    public async Task A_dispatch_cancelled_midway_finishes_what_it_was_sending_and_the_next_one_sends_the_rest_once()
    {
        var smsBefore = fixture.Sms.Requests.Count;
        var id = await Portal.PublishedCircularAsync("Stopped halfway", TlpLabel.Green, "AC", families: true);
        var emailIds = (await fixture.OutboxAsync(id)).Where(n => n.Channel == NotificationChannel.Email).Select(n => n.Id).ToList();
        fixture.Smtp.Delay(TimeSpan.FromMilliseconds(200));
        try
        {
            using var stop = new CancellationTokenSource();
            var dispatch = DispatchFixture.DispatchAsync(Portal.Factory, stop.Token);
            await fixture.Smtp.WaitUntilAsync(m => m.Count(x => emailIds.Contains(x.NotificationId ?? 0)) >= 5 && fixture.Smtp.InFlight() > 0, Patience);
            stop.Cancel();
            var result = await dispatch;

            result.Claimed.ShouldBeLessThan((await fixture.OutboxAsync(id)).Count);
            fixture.Smtp.InFlight().ShouldBe(0, "the messages being sent when the stop came were finished");
            await EveryMessageAtTheSinkIsRecordedAsSentAsync(id);
        }
        finally
        {
            fixture.Smtp.Delay(TimeSpan.Zero);
        }

        await fixture.DispatchAsync();
        await ShouldHaveBeenSentOnceAsync(id, smsBefore);
    }

    [Fact]
    public async Task An_app_shut_down_while_its_background_dispatcher_is_sending_loses_nothing()
    {
        var smsBefore = fixture.Sms.Requests.Count;
        var id = await Portal.PublishedCircularAsync("Shut down mid-send", TlpLabel.Green, "AC", families: true);
        var emailIds = (await fixture.OutboxAsync(id)).Where(n => n.Channel == NotificationChannel.Email).Select(n => n.Id).ToList();
        fixture.Smtp.Delay(TimeSpan.FromMilliseconds(200));
        try
        {
            var background = fixture.AnotherInstance(new()
            {
                ["Portal:Dispatch:Enabled"] = "true",
                ["Portal:Dispatch:IntervalSeconds"] = "1",
                ["Portal:Dispatch:BatchSize"] = "10",
            });
            _ = background.Services;
            await fixture.Smtp.WaitUntilAsync(m => m.Count(x => emailIds.Contains(x.NotificationId ?? 0)) >= 5 && fixture.Smtp.InFlight() > 0, Patience);
            await background.DisposeAsync();

            fixture.Smtp.InFlight().ShouldBe(0, "the messages being sent at shutdown were finished");
            (await fixture.OutboxAsync(id)).ShouldContain(n => n.State == NotificationState.Pending, "the shutdown came before the end of the outbox");
            await EveryMessageAtTheSinkIsRecordedAsSentAsync(id);
        }
        finally
        {
            fixture.Smtp.Delay(TimeSpan.Zero);
        }

        await fixture.DispatchAsync();
        await ShouldHaveBeenSentOnceAsync(id, smsBefore);
    }

    [Fact]
    public async Task A_server_that_drops_the_connection_mid_batch_gets_the_rest_on_new_connections_and_nothing_twice()
    {
        var id = await Portal.PublishedCircularAsync("The server hangs up", TlpLabel.Green, "AC", families: true);
        var emailIds = (await fixture.OutboxAsync(id)).Where(n => n.Channel == NotificationChannel.Email).Select(n => n.Id).ToList();
        emailIds.Count.ShouldBeGreaterThan(4 * DispatchFixture.Concurrency);
        const int perConnection = 2;
        fixture.Smtp.DropAfter(perConnection);
        try
        {
            await fixture.DispatchAsync();
        }
        finally
        {
            fixture.Smtp.DropAfter(0);
        }

        var mail = fixture.Smtp.MessagesFor(emailIds);
        mail.Select(m => m.MessageId).ShouldBeUnique("nothing is sent twice");
        mail.Select(m => m.NotificationId!.Value).Order().ShouldBe(emailIds.Order());
        var connections = mail.GroupBy(m => m.Connection).ToList();
        connections.ShouldAllBe(c => c.Count() <= perConnection);
        connections.Count.ShouldBeGreaterThan(DispatchFixture.Concurrency, "the dropped sessions were opened again");
        (await fixture.OutboxAsync(id)).Where(n => emailIds.Contains(n.Id)).ShouldAllBe(n => n.State == NotificationState.Sent && n.Attempts == 1);
        (await fixture.AttemptsAsync(emailIds)).ShouldAllBe(a => a.Outcome == "Sent");
    }

    /// <summary>
    /// The one window that remains: the server accepted the message but the database never heard. The
    /// message goes out again, under the same Message-ID, for the receiving side to drop.
    /// </summary>
    [Fact]
    public async Task A_message_accepted_just_before_the_database_connection_died_is_sent_again_under_the_same_message_id()
    {
        var id = await Portal.PublishedCircularAsync("Crash after acceptance", TlpLabel.Green, "SQ110");
        var emailIds = (await fixture.OutboxAsync(id)).Where(n => n.Channel == NotificationChannel.Email).Select(n => n.Id).ToList();
        fixture.Smtp.Delay(TimeSpan.FromSeconds(1));
        try
        {
            var dispatch = fixture.DispatchAsync();
            var deadline = DateTime.UtcNow + Patience;
            while (fixture.Smtp.InFlight() == 0 && DateTime.UtcNow < deadline)
                await Task.Delay(20);
            fixture.Smtp.InFlight().ShouldBeGreaterThan(0);
            // The workers holding row locks sit "idle in transaction" while the server takes its time.
            await using (var connection = new NpgsqlConnection(Portal.ConnectionString))
            {
                await connection.OpenAsync();
                await using var kill = new NpgsqlCommand("""
                    SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                    WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'idle in transaction'
                    """, connection);
                ((long)(await kill.ExecuteScalarAsync())!).ShouldBeGreaterThan(0);
            }
            await Should.ThrowAsync<Exception>(dispatch);
        }
        finally
        {
            fixture.Smtp.Delay(TimeSpan.Zero);
        }

        await fixture.DispatchAsync();

        var outbox = (await fixture.OutboxAsync(id)).Where(n => emailIds.Contains(n.Id)).ToList();
        outbox.ShouldAllBe(n => n.State == NotificationState.Sent);
        var copies = fixture.Smtp.MessagesFor(emailIds).GroupBy(m => m.MessageId).ToList();
        copies.Select(g => g.Key).Order().ShouldBe(emailIds.Select(n => $"<notification-{n}@localhost>").Order());
        copies.ShouldContain(g => g.Count() == 2, "a message whose sending was never recorded is sent again");
        copies.ShouldAllBe(g => g.Count() <= 2);
        var attempts = await fixture.AttemptsAsync(emailIds);
        attempts.ShouldAllBe(a => a.Outcome == "Sent");
        attempts.Count.ShouldBe(emailIds.Count, "the attempt cut off with its connection was never recorded");
    }

    private async Task EveryMessageAtTheSinkIsRecordedAsSentAsync(Guid circularId)
    {
        var outbox = await fixture.OutboxAsync(circularId);
        var atSink = fixture.Smtp.MessagesFor(outbox.Select(n => n.Id)).Select(m => m.NotificationId!.Value).ToHashSet();
        outbox.Where(n => atSink.Contains(n.Id)).ShouldAllBe(n => n.State == NotificationState.Sent, "a message the server accepted must not be left Pending");
        outbox.Where(n => n.Channel == NotificationChannel.Email && !atSink.Contains(n.Id)).ShouldAllBe(n => n.State == NotificationState.Pending && n.Attempts == 0);
    }

    private async Task ShouldHaveBeenSentOnceAsync(Guid circularId, int smsBefore)
    {
        var outbox = await fixture.OutboxAsync(circularId);
        outbox.ShouldAllBe(n => n.State == NotificationState.Sent && n.Attempts == 1);
        var emails = outbox.Where(n => n.Channel == NotificationChannel.Email).ToList();
        var mail = fixture.Smtp.MessagesFor(emails.Select(n => n.Id));
        mail.Select(m => m.MessageId).ShouldBeUnique();
        mail.Select(m => m.NotificationId!.Value).Order().ShouldBe(emails.Select(n => n.Id).Order());
        fixture.Sms.Requests.Skip(smsBefore).Select(r => r.To).Order()
            .ShouldBe(outbox.Where(n => n.Channel == NotificationChannel.Sms).Select(n => n.Address!).Order());
        var attempts = await fixture.AttemptsAsync(outbox.Select(n => n.Id));
        attempts.Count.ShouldBe(outbox.Count);
    }
}
