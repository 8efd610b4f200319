using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Web.Data;
using Portal.Web.Domain;

namespace Portal.BrowserTests;

/// <summary>
/// The start pages of issue 14 in Chromium (axe at desktop and phone width): each count against data the test arranges,
/// each count a link to the list behind it, that list holding as many as the count said under a heading that names
/// the filter (docs/decisions/0076). Vendor and staff on a phone, officer and administrator on a desktop.
/// </summary>
public sealed class StartPageJourneyTests(BrowserFixture browser) : BrowserTest(browser), IClassFixture<BrowserFixture>
{
    private static int Number(string text) =>
        int.Parse(text.Trim().Split(' ')[0].Replace(",", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>The start page's counts, by the address each links to.</summary>
    private static async Task<Dictionary<string, int>> CountsAsync(IPage page)
    {
        await page.GotoAsync("/");
        var counts = new Dictionary<string, int>();
        foreach (var link in await page.Locator(".task-count a").AllAsync())
            counts[(await link.GetAttributeAsync("href"))!] = Number((await link.TextContentAsync())!);
        return counts;
    }

    /// <summary>Follows every count: the list says it holds as many (its status line, or its rows) under the heading expected.</summary>
    private static async Task EachCountLeadsToItsListAsync(IPage page, Dictionary<string, int> counts, IReadOnlyDictionary<string, string> headings)
    {
        counts.Keys.ShouldBeSubsetOf(headings.Keys, "a count with no list heading expected");
        foreach (var (href, count) in counts)
        {
            await page.GotoAsync(href);
            (await page.Locator("h1").TextContentAsync())!.Trim().ShouldBe(headings[href], href);
            var status = page.Locator("main p[role=status]:not(.notice)");
            var listed = await status.CountAsync() > 0 ? Number((await status.First.TextContentAsync())!) : await page.Locator("main tbody tr").CountAsync();
            listed.ShouldBe(count, $"{href} lists a different number than the start page said");
        }
    }

    private static async Task ShouldFitAsync(IPage page, bool phone) =>
        (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(phone ? 390 : 1280, page.Url);

    private static string Imei(string fourteen) => fourteen + Portal.Web.Domain.Imeis.CheckDigit(fourteen);

    [Fact]
    public async Task A_vendor_on_a_phone_sees_open_and_overdue_cases_and_each_count_opens_its_list()
    {
        var vendor = await Browser.NewPageAsync(phone: true);
        await Browser.SignInAsync(vendor, "vendor@xiaomi.example");
        var before = await CountsAsync(vendor);

        await Browser.PublishedNamingAsync("Xiaomi", "Redmi Note", "Start page: case due later");
        var overdue = await Browser.PublishedNamingAsync("Xiaomi", "Redmi Note", "Start page: case past its deadline");
        var today = DateOnly.FromDateTime(Browser.Factory.Clock.GetUtcNow().UtcDateTime);
        var overdueCase = await Db(db => db.VendorCases.Where(c => c.CircularId == overdue).Select(c => c.Id).SingleAsync());
        await Db(db => db.VendorCases.Where(c => c.Id == overdueCase).ExecuteUpdateAsync(s => s.SetProperty(c => c.ResponseDueOn, today.AddDays(-2))));

        var counts = await CountsAsync(vendor);
        counts["/vendor-cases?open=true"].ShouldBe(before.GetValueOrDefault("/vendor-cases?open=true") + 2);
        counts["/vendor-cases?overdue=true"].ShouldBe(before.GetValueOrDefault("/vendor-cases?overdue=true") + 1);
        counts["/circulars?status=Published"].ShouldBe(before.GetValueOrDefault("/circulars?status=Published") + 2);
        var cases = vendor.Locator("section", new() { Has = vendor.GetByRole(AriaRole.Heading, new() { Name = "Your open vendor cases" }) });
        var first = cases.Locator(".task-list li").First;
        (await first.GetAttributeAsync("class"))!.ShouldContain("overdue");
        (await first.Locator("a").GetAttributeAsync("href")).ShouldBe($"/vendor-cases/{overdueCase}");
        (await cases.TextContentAsync())!.ShouldContain("Start page: case due later");
        await ShouldFitAsync(vendor, phone: true);

        await EachCountLeadsToItsListAsync(vendor, counts, new Dictionary<string, string>
        {
            ["/vendor-cases?open=true"] = "Open vendor cases",
            ["/vendor-cases?overdue=true"] = "Vendor cases past their response deadline without an answer",
            ["/circulars?status=Published"] = "Circulars: Published",
        });
        await vendor.GotoAsync("/vendor-cases?overdue=true");
        (await vendor.Locator($"main tbody a[href='/vendor-cases/{overdueCase}']").CountAsync()).ShouldBe(1);
        (await vendor.Locator("main tbody a", new() { HasText = "Start page: case due later" }).CountAsync()).ShouldBe(0);
        await ShouldFitAsync(vendor, phone: true);
        await vendor.GotoAsync("/vendor-cases?open=true");
        (await vendor.Locator("main tbody a", new() { HasText = "Start page: case due later" }).CountAsync()).ShouldBe(1);
    }

    [Fact]
    public async Task An_officer_sees_what_waits_for_them_and_each_count_opens_its_list()
    {
        var officer = await Browser.NewPageAsync();
        await Browser.SignInAsync(officer, "officer@portal.example");
        var before = await CountsAsync(officer);

        // A vendor's claim waiting for the officers, submitted as the vendor's form does.
        var circular = await Browser.PublishedNamingAsync("Xiaomi", "Redmi Note", "Start page: a claim to review");
        await Db(async db =>
        {
            var vendorCase = await db.VendorCases.Include(c => c.Models).SingleAsync(c => c.CircularId == circular);
            var vendor = await db.Users.Where(u => u.Email == "vendor@xiaomi.example").Select(u => u.Id).SingleAsync();
            db.RemediationClaims.Add(RemediationClaim.Submit(vendorCase.Id, vendorCase.Models.First().DeviceModelId, RemediationKind.FirmwareUpdate,
                "Fixed in V9.", "V9", null, null, null, null, null, null, vendor, Browser.Factory.Clock.GetUtcNow()));
            return await db.SaveChangesAsync();
        });

        var counts = await CountsAsync(officer);
        counts["/vendor-cases?review=true"].ShouldBe(before.GetValueOrDefault("/vendor-cases?review=true") + 1);
        var waiting = officer.Locator("section", new() { Has = officer.GetByRole(AriaRole.Heading, new() { Name = "Vendor claims waiting for the officers" }) });
        (await waiting.TextContentAsync())!.ShouldContain("Start page: a claim to review");
        await ShouldFitAsync(officer, phone: false);

        await EachCountLeadsToItsListAsync(officer, counts, new Dictionary<string, string>
        {
            ["/circulars?returned=true"] = "Drafts returned to you",
            ["/circulars?review=true"] = "Circulars waiting for approval",
            ["/circulars?undelivered=true"] = "Circulars with messages not delivered",
            ["/circulars/stale"] = "Stale circulars",
            ["/vendor-cases?review=true"] = "Vendor cases with a claim waiting for the officers",
        });
    }

    [Fact]
    public async Task An_administrator_sees_locked_accounts_and_membership_requests_and_each_count_opens_its_list()
    {
        var admin = await Browser.NewPageAsync();
        await Browser.SignInAsync(admin, "admin@portal.example");
        var before = await CountsAsync(admin);
        await Db(db => db.Users.Where(u => u.Email == "auditor@portal.example")
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.LockoutEnd, Browser.Factory.Clock.GetUtcNow().AddHours(1))));

        var counts = await CountsAsync(admin);
        counts["/admin/users?locked=true"].ShouldBe(before.GetValueOrDefault("/admin/users?locked=true") + 1);
        await ShouldFitAsync(admin, phone: false);
        await EachCountLeadsToItsListAsync(admin, counts, new Dictionary<string, string>
        {
            ["/admin/users?locked=true"] = "Locked-out accounts",
            ["/admin/users?requested=true"] = "People asking to join a vendor organisation",
        });
        await admin.GotoAsync("/admin/users?locked=true");
        (await admin.Locator("main tbody tr", new() { HasText = "auditor@portal.example" }).CountAsync()).ShouldBe(1);
    }

    [Fact]
    public async Task Staff_on_a_phone_see_overdue_circulars_first_their_family_and_the_phone_a_circular_bans()
    {
        // One circular whose deadline passes (the clock moves on eleven days), one due later.
        var (overdue, _) = await Browser.PublishedForFamiliesAsync("Start page: notice now overdue");
        Browser.Factory.Clock.Advance(TimeSpan.FromDays(11));
        var (later, _) = await Browser.PublishedForFamiliesAsync("Start page: notice due later");

        var staff = await Browser.NewPageAsync(phone: true);
        await Browser.SignInAsync(staff, "staff@portal.example");
        await staff.GotoAsync("/devices");
        await staff.GetByLabel("IMEI").FillAsync(Imei("86439602000071"));
        await staff.GetByLabel("Manufacturer").FillAsync("Xiaomi");
        await staff.GetByLabel("Model", new() { Exact = true }).FillAsync("Redmi 1S");
        await staff.GetByRole(AriaRole.Button, new() { Name = "Register phone" }).ClickAsync();
        (await staff.Locator("[role=status].notice").TextContentAsync())!.Trim().ShouldBe("Xiaomi Redmi 1S registered.");

        var counts = await CountsAsync(staff);
        var toAcknowledge = staff.Locator("section", new() { Has = staff.GetByRole(AriaRole.Heading, new() { Name = "Circulars to acknowledge" }) });
        var items = await toAcknowledge.Locator(".task-list li").AllAsync();
        var overdueFlags = new List<bool>();
        foreach (var item in items)
            overdueFlags.Add((await item.GetAttributeAsync("class"))!.Contains("overdue", StringComparison.Ordinal));
        overdueFlags.ShouldBe(overdueFlags.OrderByDescending(o => o).ToList(), "overdue circulars come first");
        var overdueItem = toAcknowledge.Locator("li", new() { Has = staff.Locator($"a[href='/circulars/{overdue}']") });
        (await overdueItem.TextContentAsync())!.ShouldContain("overdue");

        var family = staff.Locator("section", new() { Has = staff.GetByRole(AriaRole.Heading, new() { Name = "Your family" }) });
        (await family.Locator("li").CountAsync()).ShouldBeGreaterThan(0);
        (await family.TextContentAsync())!.ShouldContain("notices not yet acknowledged");
        var phones = staff.Locator("section", new() { Has = staff.GetByRole(AriaRole.Heading, new() { Name = "Your phones a circular bans or restricts" }) });
        (await phones.TextContentAsync())!.ShouldContain("1 of your registered phones needs action.");
        (await phones.Locator("li").TextContentAsync())!.ShouldStartWith("Xiaomi Redmi 1S: banned by SEC/ADV/");
        await ShouldFitAsync(staff, phone: true);

        await EachCountLeadsToItsListAsync(staff, counts, new Dictionary<string, string>
        {
            ["/circulars?pending=true"] = "Circulars waiting for your acknowledgement",
        });
        (await staff.Locator($"main a[href='/circulars/{overdue}']").CountAsync()).ShouldBe(1);
        (await staff.Locator($"main a[href='/circulars/{later}']").CountAsync()).ShouldBe(1);
        await ShouldFitAsync(staff, phone: true);
    }
}
