using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Web.Data;

namespace Portal.BrowserTests;

/// <summary>
/// The pages people read on a phone, in Hindi, the longer language (docs/decisions/0076): the staff start page, a vendor
/// case and lab evidence an officer records through the form. None may scroll sideways; with PORTAL_SCREENSHOTS set,
/// each is saved as a picture to look at.
/// </summary>
public sealed class PhonePagesInHindiTests(BrowserFixture browser) : BrowserTest(browser), IClassFixture<BrowserFixture>
{
    private static bool IsDevanagari(char c) => c is >= '\u0900' and <= '\u097F';

    private static async Task ScreenshotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("PORTAL_SCREENSHOTS") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            await page.ScreenshotAsync(new() { Path = Path.Combine(folder, name + ".png"), FullPage = true });
        }
    }

    private static async Task FitsAsync(IPage page) =>
        (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(390, page.Url);

    private async Task<IPage> InHindiOnAPhoneAsync(string email)
    {
        var page = await Browser.NewPageAsync(phone: true);
        await Browser.SignInAsync(page, email);
        await page.GetByRole(AriaRole.Button, new() { Name = "हिन्दी" }).ClickAsync();
        (await page.GetAttributeAsync("html", "lang")).ShouldBe("hi");
        return page;
    }

    [Fact]
    public async Task The_staff_start_page_a_vendor_case_and_lab_evidence_fit_a_phone_in_Hindi()
    {
        var (circular, _) = await Browser.PublishedForFamiliesAsync("Phone in Hindi: a notice with a rather long title that has to wrap on a narrow screen");
        var named = await Browser.PublishedNamingAsync("Xiaomi", "Redmi Note", "Phone in Hindi: Redmi Note sends contacts abroad");
        var caseId = await Db(db => db.VendorCases.Where(c => c.CircularId == named).Select(c => c.Id).SingleAsync());

        var staff = await InHindiOnAPhoneAsync("staff@portal.example");
        await staff.GotoAsync("/");
        (await staff.Locator("h1").TextContentAsync())!.ShouldStartWith("स्वागत है");
        (await staff.Locator($"a[href='/circulars/{circular}']").CountAsync()).ShouldBe(1);
        await FitsAsync(staff);
        await ScreenshotAsync(staff, "phone-hi-home-staff");

        var vendor = await InHindiOnAPhoneAsync("vendor@xiaomi.example");
        await vendor.GotoAsync($"/vendor-cases/{caseId}");
        (await vendor.Locator("#models-title").TextContentAsync())!.Any(IsDevanagari).ShouldBeTrue();
        (await vendor.Locator("select[name=Status] option").AllTextContentsAsync()).ShouldAllBe(t => t.Any(IsDevanagari));
        await FitsAsync(vendor);
        await ScreenshotAsync(vendor, "phone-hi-vendor-case");

        var draft = await Browser.DraftAsync("Phone in Hindi: a draft with the lab's evidence");
        var officer = await InHindiOnAPhoneAsync("officer@portal.example");
        await officer.GotoAsync($"/circulars/{draft}/evidence/new");
        await officer.GetByLabel("शीर्षक").FillAsync("LAB/2026/117 नेटवर्क कैप्चर");
        await officer.GetByLabel("लैब", new() { Exact = true }).FillAsync("Defence device lab");
        await officer.GetByLabel("परीक्षण की तारीख").FillAsync("2026-03-02");
        await officer.GetByLabel("परखा गया उपकरण").FillAsync("Redmi Note (2014011)");
        await officer.GetByRole(AriaRole.Button, new() { Name = "साक्ष्य दर्ज करें" }).ClickAsync();
        (await officer.Locator("[role=status].notice").TextContentAsync())!.Trim().ShouldBe("साक्ष्य दर्ज हुआ: इसकी फ़ाइलें और निष्कर्ष जोड़ें।");
        await officer.Locator("summary", new() { HasText = "एक निष्कर्ष जोड़ें" }).ClickAsync();
        await officer.GetByLabel("भेजा गया डेटा").SelectOptionAsync("Contacts");
        await officer.GetByLabel("गंतव्य होस्ट").FillAsync("upload.contacts-sync.example.cn");
        await officer.GetByLabel("देश (ISO 3166 कोड)").FillAsync("CN");
        await officer.GetByRole(AriaRole.Button, new() { Name = "निष्कर्ष जोड़ें" }).ClickAsync();
        (await officer.Locator("[role=status].notice").TextContentAsync())!.Trim().ShouldBe("निष्कर्ष जोड़ा गया।");
        (await officer.Locator("#findings-title ~ .table-wrap tbody td").First.TextContentAsync()).ShouldBe("संपर्क");
        await FitsAsync(officer);
        await ScreenshotAsync(officer, "phone-hi-evidence");
    }

}
