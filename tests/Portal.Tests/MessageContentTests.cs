using System.Globalization;
using Portal.Tests.Support;
using Portal.Web.Domain;

namespace Portal.Tests;

/// <summary>What an e-mail says, in the reader's language: Razor-rendered HTML with a button, a plain-text part without Markdown.</summary>
public sealed class MessageContentTests(DispatchFixture fixture) : IClassFixture<DispatchFixture>
{
    private PortalFixture Portal => fixture.Portal;

    [Fact]
    public async Task Staff_mail_has_a_button_a_readable_date_and_plain_text_without_markdown_in_the_readers_language()
    {
        var staff = await Portal.SignedInAs(Scenarios.Staff);
        (await staff.PostFormAsync("/language", new() { ["Language"] = "hi", ["ReturnUrl"] = "/" }, "/")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var id = await Portal.PublishedCircularAsync("Mail in two languages", TlpLabel.Green, "SQ110");
        var deadline = await Portal.Db(db => db.Circulars.Where(c => c.Id == id).Select(c => c.Text.AcknowledgementDeadline).SingleAsync());
        var hindiReader = await Portal.Db(db => db.StaffMembers.Where(s => db.Users.Any(u => u.Id == s.UserId && u.Email == Scenarios.Staff)).Select(s => s.Id).SingleAsync());

        await fixture.DispatchAsync();

        var outbox = (await fixture.OutboxAsync(id)).Where(n => n.Channel == NotificationChannel.Email && n.DependentId == null).ToList();
        var mail = fixture.Smtp.MessagesFor(outbox.Select(n => n.Id)).ToDictionary(m => m.NotificationId!.Value);
        var hindi = mail[outbox.Single(n => n.StaffMemberId == hindiReader).Id];
        var english = mail[outbox.First(n => n.StaffMemberId != hindiReader).Id];

        english.Text.ShouldContain($"Acknowledge by: {deadline.ToString("d MMMM yyyy", CultureInfo.GetCultureInfo("en"))}");
        english.Text.ShouldContain("Do not use the Model X: a lab found it");
        english.Text.ShouldNotContain("**");
        english.Text.ShouldContain($"Read and acknowledge: http://localhost:5080/circulars/{id}");
        var html = PortalClient.Parse(english.Html);
        html.DocumentElement.GetAttribute("lang").ShouldBe("en");
        var button = html.QuerySelectorAll("a").Single(a => a.GetAttribute("href") == $"http://localhost:5080/circulars/{id}");
        button.TextContent.Trim().ShouldBe("Read and acknowledge");
        button.GetAttribute("style")!.ShouldContain("background");
        html.QuerySelector("strong")!.TextContent.ShouldBe("TLP:GREEN");

        hindi.Text.ShouldContain($"पुष्टि की अंतिम तिथि: {deadline.ToString("d MMMM yyyy", CultureInfo.GetCultureInfo("hi"))}");
        hindi.Text.ShouldContain("गंभीरता: उच्च");
        hindi.Text.ShouldNotContain("**");
        var hindiHtml = PortalClient.Parse(hindi.Html);
        hindiHtml.DocumentElement.GetAttribute("lang").ShouldBe("hi");
        hindiHtml.QuerySelectorAll("a").Single(a => a.GetAttribute("href") == $"http://localhost:5080/circulars/{id}").TextContent.Trim().ShouldBe("पढ़ें और पुष्टि करें");
    }

    [Fact]
    public async Task Family_mail_links_with_short_words_and_says_when_the_notice_is_not_in_their_language()
    {
        var id = await Portal.PublishedCircularAsync("Family mail wording", TlpLabel.Green, "AC", families: true);

        await fixture.DispatchAsync();

        var outbox = (await fixture.OutboxAsync(id)).Where(n => n.Channel == NotificationChannel.Email && n.DependentId != null).ToList();
        var mail = fixture.Smtp.MessagesFor(outbox.Select(n => n.Id)).ToDictionary(m => m.NotificationId!.Value);
        foreach (var n in outbox)
        {
            var message = mail[n.Id];
            var html = PortalClient.Parse(message.Html);
            var link = html.QuerySelectorAll("a").Single(a => a.GetAttribute("href")!.StartsWith("http://localhost:5080/family/", StringComparison.Ordinal));
            link.TextContent.Trim().ShouldBe(n.Language == "hi" ? "अपनी सूचना खोलें" : "Open your notice");
            html.Body!.TextContent.ShouldNotContain("http://localhost:5080/family/");
            message.Text.ShouldContain("http://localhost:5080/family/");
            if (n.Language == "hi")
                message.Text.ShouldContain("इस सूचना का आपकी भाषा में अभी अनुवाद नहीं हुआ है");
            else
                message.Text.ShouldNotContain("translated");
        }
    }
}
