using System.Globalization;
using AngleSharp.Html.Dom;
using Portal.Web.Domain;

namespace Portal.Tests;

/// <summary>
/// The start pages' vendor-case sections (docs/decisions/0073), in a class of their own: the circulars they publish
/// would otherwise crowd the staff member's list that <see cref="HomePageTests"/> counts.
/// </summary>
public sealed class HomePageCaseTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private static int Number(string text) => int.Parse(new string(text.Trim().TakeWhile(char.IsDigit).ToArray()));

    /// <summary>The number on the vendor's start page that links to <paramref name="href"/>; 0 when the page shows no such link.</summary>
    private static int VendorCount(IHtmlDocument page, string href) =>
        page.QuerySelector("#vendor-cases-title")!.ParentElement!.QuerySelectorAll(".task-count a")
            .Where(a => a.GetAttribute("href") == href).Select(a => Number(a.TextContent)).SingleOrDefault();

    [Fact]
    public async Task Vendors_see_their_open_cases_overdue_first_and_each_count_leads_to_its_list()
    {
        var vendor = await fixture.SignedInAs(Scenarios.Vendor);
        var (_, before) = await vendor.GetPageAsync("/");
        var (openBefore, overdueBefore) = (VendorCount(before, "/vendor-cases?open=true"), VendorCount(before, "/vendor-cases?overdue=true"));
        var (_, later) = await fixture.PublishedNamingXiaomiAsync("Vendor home, deadline ahead");
        var (_, overdue) = await fixture.PublishedNamingXiaomiAsync("Vendor home, deadline passed");
        var today = DateOnly.FromDateTime(fixture.Factory.Clock.GetUtcNow().UtcDateTime);
        await fixture.Db(db => db.VendorCases.Where(c => c.Id == overdue).ExecuteUpdateAsync(s => s.SetProperty(c => c.ResponseDueOn, today.AddDays(-2))));

        var (_, home) = await vendor.GetPageAsync("/");
        VendorCount(home, "/vendor-cases?open=true").ShouldBe(openBefore + 2);
        VendorCount(home, "/vendor-cases?overdue=true").ShouldBe(overdueBefore + 1);
        var first = home.QuerySelector("#vendor-cases-title")!.ParentElement!.QuerySelector(".task-list li")!;
        first.QuerySelector("a")!.GetAttribute("href").ShouldBe($"/vendor-cases/{overdue}");
        first.ClassList.ShouldContain("overdue");
        first.TextContent.ShouldContain(today.AddDays(-2).ToString("d MMMM yyyy", CultureInfo.InvariantCulture));

        var (_, overdueList) = await vendor.GetPageAsync("/vendor-cases?overdue=true");
        overdueList.QuerySelectorAll("tbody tr").Length.ShouldBe(overdueBefore + 1);
        overdueList.QuerySelector($"tbody a[href='/vendor-cases/{overdue}']").ShouldNotBeNull();
        overdueList.QuerySelector($"tbody a[href='/vendor-cases/{later}']").ShouldBeNull();
        var (_, openList) = await vendor.GetPageAsync("/vendor-cases?open=true");
        openList.QuerySelectorAll("tbody tr").Length.ShouldBe(openBefore + 2);
        openList.QuerySelector($"tbody a[href='/vendor-cases/{later}']").ShouldNotBeNull();

        // Answered, the overdue case is no longer overdue; with every model's fix verified, the other is no longer open.
        await fixture.StatementAsync(overdue, "We are testing the affected firmware.", isPublic: false);
        await fixture.Db(db => db.VendorCaseModels.Where(m => m.CaseId == later).ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, ModelStatus.FixVerified)));
        var (_, after) = await vendor.GetPageAsync("/");
        VendorCount(after, "/vendor-cases?open=true").ShouldBe(openBefore + 1);
        VendorCount(after, "/vendor-cases?overdue=true").ShouldBe(overdueBefore);
    }

    [Fact]
    public async Task Officers_see_vendor_claims_waiting_for_them_and_the_count_leads_to_those_cases()
    {
        static int Waiting(IHtmlDocument page) => page.QuerySelector("#officer-cases-title")!.ParentElement!.QuerySelectorAll(".task-count a")
            .Where(a => a.GetAttribute("href") == "/vendor-cases?review=true").Select(a => Number(a.TextContent)).SingleOrDefault();
        var officer = await fixture.SignedInAs(Scenarios.Officer);
        var before = Waiting((await officer.GetPageAsync("/")).Page);
        var (circular, waiting) = await fixture.PublishedNamingXiaomiAsync("Officer home, claim waiting");
        await fixture.ClaimAsync(circular, waiting, RemediationKind.FirmwareUpdate, "Fixed in V9.", firmware: "V9", verify: false);
        var (verifiedCircular, verified) = await fixture.PublishedNamingXiaomiAsync("Officer home, claim verified");
        await fixture.ClaimAsync(verifiedCircular, verified, RemediationKind.FirmwareUpdate, "Fixed in V9.", firmware: "V9");

        var (_, home) = await officer.GetPageAsync("/");
        Waiting(home).ShouldBe(before + 1);
        var (_, list) = await officer.GetPageAsync("/vendor-cases?review=true");
        list.QuerySelectorAll("tbody tr").Length.ShouldBe(before + 1);
        list.QuerySelector($"tbody a[href='/vendor-cases/{waiting}']").ShouldNotBeNull();
        list.QuerySelector($"tbody a[href='/vendor-cases/{verified}']").ShouldBeNull();
    }
}
