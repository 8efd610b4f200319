using Portal.Web.Domain;
using Portal.Web.Features.Acknowledgements;
using Portal.Web.Features.Notifications;

namespace Portal.Tests;

/// <summary>What the dispatcher sends after publication, to a real SMTP sink and a stand-in SMS gateway.</summary>
public sealed class NotificationDispatchTests(DispatchFixture fixture) : IClassFixture<DispatchFixture>
{
    private PortalFixture Portal => fixture.Portal;

    [Fact]
    public async Task Dispatching_after_publication_to_families_delivers_one_message_per_email_and_sms_notification()
    {
        var smsBefore = fixture.Sms.Requests.Count;
        var id = await Portal.PublishedCircularAsync("Dispatch to everyone and families", TlpLabel.Green, "AC", families: true);

        var result = await fixture.DispatchAsync();

        var outbox = await fixture.OutboxAsync(id);
        var emails = outbox.Where(n => n.Channel == NotificationChannel.Email).ToList();
        var texts = outbox.Where(n => n.Channel == NotificationChannel.Sms).ToList();
        emails.ShouldContain(n => n.DependentId != null);
        texts.ShouldContain(n => n.DependentId != null);
        result.Claimed.ShouldBeGreaterThanOrEqualTo(outbox.Count);
        outbox.ShouldAllBe(n => n.State == NotificationState.Sent && n.Attempts == 1 && n.SentAt != null && n.NextAttemptAt == null && n.LastError == null);

        var mail = fixture.Smtp.MessagesFor(emails.Select(n => n.Id));
        mail.Count.ShouldBe(emails.Count);
        mail.Select(m => m.MessageId).ShouldBeUnique();
        mail.Select(m => (m.NotificationId!.Value, m.Recipients.Single())).Order()
            .ShouldBe(emails.Select(n => (n.Id, n.Address!)).Order());
        mail.ShouldAllBe(m => m.MailFrom == "advisories@portal.example" && m.Text.Length > 0 && m.Html.Length > 0);

        var sms = fixture.Sms.Requests.Skip(smsBefore).ToList();
        sms.Select(r => r.To).Order().ShouldBe(texts.Select(n => n.Address!).Order());
        sms.ShouldAllBe(r => r.Authorization == "Bearer " + SmsGateway.ApiKey && r.Text.Length <= MessageComposer.SmsMaxLength);

        var attempts = await fixture.AttemptsAsync(outbox.Select(n => n.Id));
        attempts.Count.ShouldBe(outbox.Count);
        attempts.ShouldAllBe(a => a.Outcome == "Sent" && a.Detail != null);
    }

    [Fact]
    public async Task Each_dispatch_worker_sends_its_whole_batch_over_one_smtp_connection()
    {
        var id = await Portal.PublishedCircularAsync("One connection per worker", TlpLabel.Green, "AC", families: true);
        var emailIds = (await fixture.OutboxAsync(id)).Where(n => n.Channel == NotificationChannel.Email).Select(n => n.Id).ToList();
        emailIds.Count.ShouldBeGreaterThan(3 * DispatchFixture.Concurrency);

        await fixture.DispatchAsync();

        var mail = fixture.Smtp.MessagesFor(emailIds);
        mail.Count.ShouldBe(emailIds.Count);
        mail.Select(m => m.Connection).Distinct().Count().ShouldBeLessThanOrEqualTo(DispatchFixture.Concurrency, "one SMTP session per worker, not one per message");
    }

    [Fact]
    public async Task Staff_mail_carries_the_circular_and_family_mail_only_the_family_summary_and_a_personal_link()
    {
        var id = await Portal.PublishedCircularAsync("What each reader is told", TlpLabel.Green, "AC", families: true);
        var fields = Scenarios.DraftFields(fixture.Clock, "x", families: true);
        var reference = await Portal.Db(db => db.CircularRevisions.Where(r => r.CircularId == id).Select(r => r.ReferenceNumber).SingleAsync());

        await fixture.DispatchAsync();

        var outbox = await fixture.OutboxAsync(id);
        var mail = fixture.Smtp.MessagesFor(outbox.Select(n => n.Id)).ToDictionary(m => m.NotificationId!.Value);
        var staff = outbox.First(n => n.Channel == NotificationChannel.Email && n.DependentId == null);
        var toStaff = mail[staff.Id];
        toStaff.MessageId.ShouldBe($"<notification-{staff.Id}@localhost>");
        toStaff.Subject.ShouldBe($"[{reference}] What each reader is told");
        toStaff.Text.ShouldContain(fields["RequiredActions"]);
        toStaff.Text.ShouldContain(fields["Summary"].Replace("**", ""));
        toStaff.Text.ShouldNotContain("**");
        toStaff.Text.ShouldContain("TLP:GREEN");
        toStaff.Text.ShouldContain("Severity: High");
        toStaff.Text.ShouldContain($"http://localhost:5080/circulars/{id}");
        toStaff.Html.ShouldContain("<strong>Model X</strong>");
        toStaff.Html.ShouldContain($"href=\"http://localhost:5080/circulars/{id}\"");
        toStaff.Headers["Auto-Submitted"].ShouldBe("auto-generated");
        toStaff.Raw.Split("\r\n").Count(line => line.StartsWith("Message-ID:", StringComparison.OrdinalIgnoreCase)).ShouldBe(1);

        var families = outbox.Where(n => n.Channel == NotificationChannel.Email && n.DependentId != null).ToList();
        families.ShouldContain(n => n.Language == "hi");
        families.ShouldContain(n => n.Language == "en");
        foreach (var family in families)
        {
            var message = mail[family.Id];
            message.Text.ShouldContain(fields["FamilySummary"]);
            message.Text.ShouldContain("http://localhost:5080/family/");
            message.Html.ShouldContain("http://localhost:5080/family/");
            foreach (var secret in new[] { "What each reader is told", "a lab found it", fields["RequiredActions"], fields["Background"], fields["RiskAssessment"], fields["Impact"], fields["References"] })
            {
                message.Text.ShouldNotContain(secret);
                message.Html.ShouldNotContain(secret);
            }
            message.Subject.ShouldContain(reference);
            message.Subject.ShouldStartWith(family.Language == "hi" ? "आपके परिवार के लिए फ़ोन सुरक्षा सूचना" : "Phone safety notice for your family");
        }

        var familySms = fixture.Sms.Requests.Where(r => outbox.Any(n => n.Channel == NotificationChannel.Sms && n.DependentId != null && n.Address == r.To)).ToList();
        familySms.ShouldNotBeEmpty();
        familySms.ShouldAllBe(r => r.Text.Contains("/family/") && !r.Text.Contains("What each reader is told") && r.Text.Length <= MessageComposer.SmsMaxLength);
    }

    [Fact]
    public async Task A_recipient_refused_with_550_is_bounced_and_the_others_are_sent()
    {
        var id = await Portal.PublishedCircularAsync("One mailbox is gone", TlpLabel.Green, "SQ110");
        var emails = (await fixture.OutboxAsync(id)).Where(n => n.Channel == NotificationChannel.Email).ToList();
        var gone = emails[0];
        fixture.Smtp.Refuse(gone.Address!);
        try
        {
            await fixture.DispatchAsync();
        }
        finally
        {
            fixture.Smtp.Refuse();
        }

        var after = (await fixture.OutboxAsync(id)).Where(n => n.Channel == NotificationChannel.Email).ToDictionary(n => n.Id);
        after[gone.Id].State.ShouldBe(NotificationState.Bounced);
        after[gone.Id].Attempts.ShouldBe(1);
        after[gone.Id].NextAttemptAt.ShouldBeNull();
        after[gone.Id].LastError.ShouldNotBeNull().ShouldContain("550");
        after.Values.Where(n => n.Id != gone.Id).ShouldAllBe(n => n.State == NotificationState.Sent);
        (await fixture.AttemptsAsync([gone.Id])).Single().Outcome.ShouldBe("Bounced");
        fixture.Smtp.MessagesFor(after.Keys).Select(m => m.NotificationId!.Value).Order().ShouldBe(after.Keys.Where(k => k != gone.Id).Order());

        await fixture.DispatchAsync();
        (await fixture.AttemptsAsync([gone.Id])).Count.ShouldBe(1, "a bounce is final");
    }

    [Fact]
    public async Task An_invalid_address_fails_at_once_with_a_clear_error_and_nothing_is_sent()
    {
        var smsBefore = fixture.Sms.Requests.Count;
        var id = await Portal.PublishedCircularAsync("Typos in the directory", TlpLabel.Green, "SQ110");
        var outbox = await fixture.OutboxAsync(id);
        var email = outbox.First(n => n.Channel == NotificationChannel.Email);
        var sms = outbox.First(n => n.Channel == NotificationChannel.Sms);
        await Portal.Db(db => db.Database.ExecuteSqlAsync($"UPDATE notifications SET address = CASE WHEN id = {email.Id} THEN 'pat.staff(at)portal' ELSE '98-12' END WHERE id IN ({email.Id}, {sms.Id})"));

        await fixture.DispatchAsync();

        var after = (await fixture.OutboxAsync(id)).ToDictionary(n => n.Id);
        after[email.Id].State.ShouldBe(NotificationState.Failed);
        after[email.Id].LastError.ShouldBe("Invalid e-mail address 'pat.staff(at)portal': expected the form name@domain.example.");
        after[sms.Id].State.ShouldBe(NotificationState.Failed);
        after[sms.Id].LastError.ShouldBe("Invalid mobile number '98-12': expected the international form, such as +919812345678.");
        after.Values.Where(n => n.Id != email.Id && n.Id != sms.Id).ShouldAllBe(n => n.State == NotificationState.Sent);
        (await fixture.AttemptsAsync([email.Id, sms.Id])).ShouldAllBe(a => a.Outcome == "Failed");
        fixture.Smtp.MessagesFor([email.Id]).ShouldBeEmpty();
        fixture.Sms.Requests.Skip(smsBefore).ShouldNotContain(r => r.To.Contains("9812") && r.To.Length < 8);
        fixture.Sms.Requests.Skip(smsBefore).Count().ShouldBe(outbox.Count(n => n.Channel == NotificationChannel.Sms) - 1);
    }

    [Fact]
    public async Task The_text_of_a_tlp_red_circular_stays_in_the_portal()
    {
        var id = await Portal.PublishedCircularAsync("Red circular", TlpLabel.Red, "SQ210");

        await fixture.DispatchAsync();

        var emails = (await fixture.OutboxAsync(id)).Where(n => n.Channel == NotificationChannel.Email).ToList();
        var mail = fixture.Smtp.MessagesFor(emails.Select(n => n.Id));
        mail.Count.ShouldBe(emails.Count);
        var fields = Scenarios.DraftFields(fixture.Clock, "x");
        mail.ShouldAllBe(m => m.Text.Contains("TLP:RED") && m.Text.Contains("Red circular") && m.Text.Contains($"/circulars/{id}")
            && !m.Text.Contains(fields["RequiredActions"]) && !m.Html.Contains(fields["RequiredActions"]) && !m.Text.Contains("a lab found it"));
    }

    [Fact]
    public async Task Messages_of_a_circular_withdrawn_before_they_went_out_are_not_sent()
    {
        var smsBefore = fixture.Sms.Requests.Count;
        var id = await Portal.PublishedCircularAsync("Withdrawn at once", TlpLabel.Green, "SQ120");
        var officer = await Portal.SignedInAs(Scenarios.Officer);
        (await Portal.TransitionAsync(officer, id, "withdraw", new() { ["Reason"] = "Published to the wrong audience." })).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        await fixture.DispatchAsync();

        var outbox = await fixture.OutboxAsync(id);
        outbox.ShouldAllBe(n => n.State == NotificationState.Failed && n.LastError == "The circular was withdrawn before this message went out.");
        fixture.Smtp.MessagesFor(outbox.Select(n => n.Id)).ShouldBeEmpty();
        fixture.Sms.Requests.Count.ShouldBe(smsBefore);
    }

    [Fact]
    public async Task Reminders_and_escalations_say_what_they_are()
    {
        var id = await Portal.PublishedCircularAsync("Chased until read", TlpLabel.Green, "W1");
        var now = fixture.Clock.GetUtcNow();
        var reminderId = await Portal.Db(db => db.Database.SqlQuery<long>($"""
            INSERT INTO notifications (circular_id, revision_number, purpose, channel, staff_member_id, unit_id, address, language, state, attempts, next_attempt_at, created_at)
            SELECT circular_id, revision_number, 'Reminder', 'Email', staff_member_id, unit_id, address, language, 'Pending', 0, {now}, {now}
            FROM notifications WHERE circular_id = {id} AND channel = 'Email' ORDER BY id LIMIT 1
            RETURNING id AS "Value"
            """).ToListAsync());
        var commander = await Portal.Db(db => db.Users.SingleAsync(u => u.Email == Scenarios.Commander));
        var escalationId = await Portal.Db(db => db.Database.SqlQuery<long>($"""
            INSERT INTO notifications (circular_id, revision_number, purpose, channel, user_id, address, language, state, attempts, next_attempt_at, created_at)
            VALUES ({id}, 1, 'Escalation', 'Email', {commander.Id}, {commander.Email}, 'en', 'Pending', 0, {now}, {now})
            RETURNING id AS "Value"
            """).ToListAsync());
        var outstanding = await Portal.Db(async db =>
        {
            var path = await db.Units.Where(u => u.Id == commander.UnitId).Select(u => u.Path).SingleAsync();
            return await db.AcknowledgementRequests.CountAsync(r => r.CircularId == id && db.Units.Any(u => u.Id == r.UnitId && u.Path.StartsWith(path)));
        });
        outstanding.ShouldBeGreaterThan(1);

        await fixture.DispatchAsync();

        var mail = fixture.Smtp.MessagesFor([reminderId.Single(), escalationId.Single()]).ToDictionary(m => m.NotificationId!.Value);
        var reminder = mail[reminderId.Single()];
        reminder.Subject.ShouldStartWith("Reminder: [");
        reminder.Subject.ShouldEndWith("] Chased until read");
        reminder.Text.ShouldContain(Scenarios.DraftFields(fixture.Clock, "x")["RequiredActions"]);
        var escalation = mail[escalationId.Single()];
        escalation.Recipients.ShouldBe([Scenarios.Commander]);
        escalation.Subject.ShouldStartWith("Escalation: [");
        escalation.Text.ShouldContain($"{outstanding} people in your units have not acknowledged.");
        escalation.Text.ShouldContain($"http://localhost:5080/circulars/{id}/acknowledgements");
        var people = await Portal.SendAsync(new Outstanding.Query(id, commander.UnitId!.Value));
        people.Total.ShouldBe(outstanding);
        escalation.Text.ShouldContain("Still to acknowledge:");
        people.People.ShouldAllBe(p => escalation.Text.Contains($"- {p.Name} ({p.ServiceNumber}, {p.Unit})"));
    }

    [Fact]
    public async Task A_family_link_sent_for_a_minor_amendment_acknowledges_the_revision_that_asked()
    {
        var id = await Portal.PublishedCircularAsync("Amended for families", TlpLabel.Green, "SQ220", families: true);
        await fixture.DispatchAsync();
        await Portal.AmendAsync(id, "A clearer family summary.", kind: RevisionKind.Minor);

        await fixture.DispatchAsync();

        var amended = (await fixture.OutboxAsync(id)).Where(n => n.Purpose == NotificationPurpose.Amended && n.Channel == NotificationChannel.Email && n.DependentId != null).ToList();
        amended.ShouldNotBeEmpty();
        amended.ShouldAllBe(n => n.RevisionNumber == 2 && n.State == NotificationState.Sent);
        var links = Portal.Factory.Services.GetRequiredService<FamilyLinks>();
        foreach (var message in fixture.Smtp.MessagesFor(amended.Select(n => n.Id)))
        {
            var token = System.Text.RegularExpressions.Regex.Match(message.Text, "/family/([A-Za-z0-9_-]+)").Groups[1].Value;
            var (claim, problem) = links.Read(token);
            problem.ShouldBe(FamilyLinks.Problem.None);
            claim.ShouldNotBeNull().RevisionNumber.ShouldBe(1, "revision 2 asked nobody; the open request is revision 1's");
            claim.CircularId.ShouldBe(id);
            claim.DependentId.ShouldBe(amended.Single(n => n.Id == message.NotificationId).DependentId!.Value);
            message.Subject.ShouldStartWith(amended.Single(n => n.Id == message.NotificationId).Language == "hi" ? "संशोधित: " : "Amended: ");
        }
    }
}
