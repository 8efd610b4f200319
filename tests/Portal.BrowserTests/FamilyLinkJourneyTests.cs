using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Features.Acknowledgements;
using Portal.Web.Features.Circulars;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;

namespace Portal.BrowserTests;

public sealed class FamilyLinkJourneyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    /// <summary>A circular for the whole organisation with families, published through the same commands the pages send.</summary>
    private async Task<(Guid Circular, Guid Dependent)> PublishedForFamiliesAsync()
    {
        await using var scope = browser.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
        var officer = await db.Users.SingleAsync(u => u.Email == "officer@portal.example");
        var approver = await db.Users.SingleAsync(u => u.Email == "approver@portal.example");
        var now = DateTimeOffset.UtcNow;
        var maker = Manufacturer.Create("Journey Phones " + Guid.NewGuid().ToString("N")[^6..], [], null, now);
        var model = DeviceModel.Create(maker.Id, "Journey One", ["J1"], [], now);
        db.AddRange(maker, model);
        var circular = Circular.Draft(new CircularContent("Journey phone leaks contacts", Severity.High, TlpLabel.Green,
            "Full summary for staff.", "", "Risk.", "", "Staff must hand in the phone.", "", DateOnly.FromDateTime(DateTime.UtcNow.AddDays(10)),
            IncludeFamilies: true, FamilySummary: "Please stop using a **Journey One** phone. It sends your contacts abroad."), officer.Id, now);
        circular.AddRule(maker.Id, model.Id, null, [], null, RuleAction.Banned, null, officer.Id, now);
        circular.AddAudienceUnit(await db.Units.Where(u => u.Code == "AC").Select(u => u.Id).SingleAsync(), officer.Id, now);
        circular.Submit(officer.Id, now);
        db.Circulars.Add(circular);
        await db.SaveChangesAsync();
        var version = await db.Circulars.Where(c => c.Id == circular.Id).Select(c => c.Version).SingleAsync();
        await mediator.Send(new Approve.Command { Id = circular.Id, Version = version, ActorId = approver.Id });
        var dependent = await db.AcknowledgementRequests
            .Where(a => a.CircularId == circular.Id && a.DependentId != null && db.Dependents.Any(d => d.Id == a.DependentId && d.PreferredLanguage == "en"))
            .Select(a => a.DependentId!.Value).FirstAsync();
        return (circular.Id, dependent);
    }

    [Fact]
    public async Task A_family_member_opens_the_link_on_a_phone_reads_the_family_summary_and_acknowledges()
    {
        var (circular, dependent) = await PublishedForFamiliesAsync();
        var token = browser.Factory.Services.GetRequiredService<FamilyLinks>().CreateToken(circular, 1, dependent);
        var phone = await browser.NewPageAsync(phone: true);

        var response = await phone.GotoAsync($"/family/{token}");

        response!.Status.ShouldBe(200);
        (await phone.Locator("h1").TextContentAsync()).ShouldBe("A security notice for your family");
        (await phone.Locator(".family-summary").TextContentAsync())!.ShouldContain("Please stop using a Journey One phone");
        (await phone.Locator("main").TextContentAsync())!.ShouldNotContain("Staff must hand in the phone");
        (await phone.EvaluateAsync<int>("document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(390);
        var button = phone.GetByRole(AriaRole.Button, new() { Name = "I have read this notice" });
        (await button.BoundingBoxAsync())!.Height.ShouldBeGreaterThanOrEqualTo(44, "a thumb-sized target");

        await button.ClickAsync();
        phone.Url.ShouldEndWith($"/family/{token}");

        (await phone.Locator("[role=status]").TextContentAsync())!.ShouldContain("Thank you. You confirmed on");
        (await phone.GetByRole(AriaRole.Button).CountAsync()).ShouldBe(0);
        await using var scope = browser.Factory.Services.CreateAsyncScope();
        var request = await scope.ServiceProvider.GetRequiredService<PortalDbContext>().AcknowledgementRequests
            .SingleAsync(a => a.CircularId == circular && a.DependentId == dependent);
        request.Channel.ShouldBe(AcknowledgementChannel.FamilyLink);
        request.AcknowledgedRevision.ShouldBe(1);

        // The same link again: it only says thank you.
        await phone.GotoAsync($"/family/{token}");
        (await phone.Locator("[role=status]").TextContentAsync())!.ShouldContain("Thank you");
    }

    [Fact]
    public async Task A_broken_link_on_a_phone_says_what_to_do()
    {
        var phone = await browser.NewPageAsync(phone: true);

        var response = await phone.GotoAsync("/family/this-is-not-a-real-link");

        response!.Status.ShouldBe(400);
        (await phone.Locator("[role=alert]").TextContentAsync())!.ShouldContain("ask your family member for a new one");
    }
}
