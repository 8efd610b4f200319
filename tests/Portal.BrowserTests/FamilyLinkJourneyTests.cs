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

public sealed class FamilyLinkJourneyTests(BrowserFixture browser) : BrowserTest(browser), IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_family_member_opens_the_link_on_a_phone_reads_the_family_summary_and_acknowledges()
    {
        var (circular, dependent) = await Browser.PublishedForFamiliesAsync();
        var token = Browser.Factory.Services.GetRequiredService<FamilyLinks>().CreateToken(circular, 1, dependent);
        var phone = await Browser.NewPageAsync(phone: true);

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
        (await phone.Locator("main").GetByRole(AriaRole.Button, new() { Name = "I have read this notice" }).CountAsync()).ShouldBe(0);
        await using var scope = Browser.Factory.Services.CreateAsyncScope();
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
        var phone = await Browser.NewPageAsync(phone: true);

        var response = await phone.GotoAsync("/family/this-is-not-a-real-link");

        response!.Status.ShouldBe(400);
        (await phone.Locator("[role=alert]").TextContentAsync())!.ShouldContain("ask your family member for a new one");
    }
}
