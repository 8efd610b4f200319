using Portal.Web.Domain;

namespace Portal.Tests;

/// <summary>Temporary failures wait and are tried again with backoff; permanent ones stop at once; retries end.</summary>
public sealed class NotificationRetryTests(DispatchFixture fixture) : IClassFixture<DispatchFixture>
{
    private PortalFixture Portal => fixture.Portal;

    [Fact]
    public async Task When_the_smtp_server_is_down_mail_waits_and_is_sent_exactly_once_when_it_is_back()
    {
        var id = await Portal.PublishedCircularAsync("Sent while the mail server is down", TlpLabel.Green, "SQ110");
        var emailIds = (await fixture.OutboxAsync(id)).Where(n => n.Channel == NotificationChannel.Email).Select(n => n.Id).ToList();
        emailIds.ShouldNotBeEmpty();
        await fixture.Smtp.StopAsync();
        try
        {
            var started = fixture.Clock.GetUtcNow();
            await fixture.DispatchAsync();

            var waiting = (await fixture.OutboxAsync(id)).Where(n => emailIds.Contains(n.Id)).ToList();
            waiting.ShouldAllBe(n => n.State == NotificationState.Pending && n.Attempts == 1 && n.LastError != null && n.LastError.Contains($"127.0.0.1:{fixture.Smtp.Port}"));
            waiting.ShouldAllBe(n => n.NextAttemptAt >= started.AddSeconds(DispatchFixture.BaseDelaySeconds) && n.NextAttemptAt <= fixture.Clock.GetUtcNow().AddSeconds(DispatchFixture.BaseDelaySeconds));
            (await fixture.AttemptsAsync(emailIds)).ShouldAllBe(a => a.Outcome == "Retry");
            (await fixture.OutboxAsync(id)).Where(n => n.Channel == NotificationChannel.Sms).ShouldAllBe(n => n.State == NotificationState.Sent);

            await fixture.DispatchAsync();
            (await fixture.AttemptsAsync(emailIds)).Count.ShouldBe(emailIds.Count, "nothing is tried again before its time");
        }
        finally
        {
            await fixture.Smtp.StartAgainAsync();
        }

        await fixture.DispatchAsync();
        (await fixture.AttemptsAsync(emailIds)).Count.ShouldBe(emailIds.Count, "the server is back, but the retry is not due yet");
        fixture.Smtp.MessagesFor(emailIds).ShouldBeEmpty();

        using var time = fixture.Travel();
        time.Advance(TimeSpan.FromSeconds(DispatchFixture.BaseDelaySeconds + 1));
        await fixture.DispatchAsync();
        await fixture.DispatchAsync();

        var sent = (await fixture.OutboxAsync(id)).Where(n => emailIds.Contains(n.Id)).ToList();
        sent.ShouldAllBe(n => n.State == NotificationState.Sent && n.Attempts == 2 && n.LastError == null && n.NextAttemptAt == null);
        var mail = fixture.Smtp.MessagesFor(emailIds);
        mail.Select(m => m.NotificationId!.Value).Order().ShouldBe(emailIds.Order());
        (await fixture.AttemptsAsync(emailIds)).GroupBy(a => a.NotificationId)
            .ShouldAllBe(g => g.Select(a => a.Outcome).SequenceEqual(new[] { "Retry", "Sent" }));
    }

    [Fact]
    public async Task A_recipient_refused_for_now_with_450_is_tried_again_later()
    {
        var id = await Portal.PublishedCircularAsync("Mailbox busy", TlpLabel.Green, "SQ220");
        var busy = (await fixture.OutboxAsync(id)).First(n => n.Channel == NotificationChannel.Email);
        fixture.Smtp.RefuseForNow(busy.Address!);
        try
        {
            await fixture.DispatchAsync();
        }
        finally
        {
            fixture.Smtp.Refuse();
        }

        var waiting = await Portal.Db(db => db.Notifications.AsNoTracking().SingleAsync(n => n.Id == busy.Id));
        waiting.State.ShouldBe(NotificationState.Pending);
        waiting.LastError.ShouldNotBeNull().ShouldContain("450");
        waiting.NextAttemptAt.ShouldNotBeNull();

        using var time = fixture.Travel();
        time.Advance(TimeSpan.FromSeconds(DispatchFixture.BaseDelaySeconds + 1));
        await fixture.DispatchAsync();

        (await Portal.Db(db => db.Notifications.AsNoTracking().SingleAsync(n => n.Id == busy.Id))).State.ShouldBe(NotificationState.Sent);
        fixture.Smtp.MessagesFor([busy.Id]).Count.ShouldBe(1);
        (await fixture.AttemptsAsync([busy.Id])).Select(a => a.Outcome).ShouldBe(["Retry", "Sent"]);
    }

    [Fact]
    public async Task Sms_gateway_errors_are_retried_and_refusals_fail_for_good()
    {
        var id = await Portal.PublishedCircularAsync("Gateway trouble", TlpLabel.Green, "SQ120");
        var texts = (await fixture.OutboxAsync(id)).Where(n => n.Channel == NotificationChannel.Sms).ToList();
        texts.Count.ShouldBeGreaterThan(2);
        var (flaky, refused) = (texts[0], texts[1]);
        fixture.Sms.AnswerFor(flaky.Address!, 503);
        fixture.Sms.AnswerFor(refused.Address!, 400);

        await fixture.DispatchAsync();

        var after = (await fixture.OutboxAsync(id)).ToDictionary(n => n.Id);
        after[flaky.Id].State.ShouldBe(NotificationState.Pending);
        after[flaky.Id].LastError.ShouldNotBeNull().ShouldStartWith("Gateway answered 503");
        after[refused.Id].State.ShouldBe(NotificationState.Failed);
        after[refused.Id].LastError.ShouldNotBeNull().ShouldStartWith("Gateway answered 400");
        after.Values.Where(n => n.Id != flaky.Id && n.Id != refused.Id).ShouldAllBe(n => n.State == NotificationState.Sent);

        fixture.Sms.AnswerFor(flaky.Address!, 202);
        using var time = fixture.Travel();
        time.Advance(TimeSpan.FromSeconds(DispatchFixture.BaseDelaySeconds + 1));
        await fixture.DispatchAsync();

        after = (await fixture.OutboxAsync(id)).ToDictionary(n => n.Id);
        after[flaky.Id].State.ShouldBe(NotificationState.Sent);
        after[flaky.Id].Attempts.ShouldBe(2);
        after[refused.Id].Attempts.ShouldBe(1, "a refusal is not tried again");
        fixture.Sms.Requests.Count(r => r.To == refused.Address).ShouldBe(1);
        (await fixture.AttemptsAsync([flaky.Id])).Select(a => a.Outcome).ShouldBe(["Retry", "Sent"]);
        (await fixture.AttemptsAsync([refused.Id])).Select(a => a.Outcome).ShouldBe(["Failed"]);
    }

    [Fact]
    public async Task A_notification_that_keeps_failing_is_given_up_after_the_last_attempt_with_growing_waits()
    {
        var id = await Portal.PublishedCircularAsync("Never gets through", TlpLabel.Green, "SQ210");
        var hopeless = (await fixture.OutboxAsync(id)).First(n => n.Channel == NotificationChannel.Sms);
        fixture.Sms.AnswerFor(hopeless.Address!, 500);

        using var time = fixture.Travel();
        var waits = new List<TimeSpan>();
        for (var attempt = 1; attempt <= DispatchFixture.MaxAttempts; attempt++)
        {
            await fixture.DispatchAsync();
            var now = await Portal.Db(db => db.Notifications.AsNoTracking().SingleAsync(n => n.Id == hopeless.Id));
            now.Attempts.ShouldBe(attempt);
            if (now.NextAttemptAt is { } next)
            {
                var last = (await fixture.AttemptsAsync([hopeless.Id])).Last();
                waits.Add(next - last.AttemptedAt);
                time.Advance(next - fixture.Clock.GetUtcNow() + TimeSpan.FromSeconds(1));
            }
        }

        var given = await Portal.Db(db => db.Notifications.AsNoTracking().SingleAsync(n => n.Id == hopeless.Id));
        given.State.ShouldBe(NotificationState.Failed);
        given.NextAttemptAt.ShouldBeNull();
        given.LastError.ShouldNotBeNull().ShouldEndWith($"Gave up after {DispatchFixture.MaxAttempts} attempts.");
        waits.ShouldBe([TimeSpan.FromSeconds(DispatchFixture.BaseDelaySeconds), TimeSpan.FromSeconds(2 * DispatchFixture.BaseDelaySeconds)]);
        (await fixture.AttemptsAsync([hopeless.Id])).Select(a => a.Outcome).ShouldBe(["Retry", "Retry", "Failed"]);

        time.Advance(TimeSpan.FromHours(1));
        await fixture.DispatchAsync();
        fixture.Sms.Requests.Count(r => r.To == hopeless.Address).ShouldBe(DispatchFixture.MaxAttempts);
    }
}
