using System.Collections;
using System.Globalization;
using System.Resources;
using System.Text;
using AngleSharp.Dom;
using Portal.Web.Infrastructure.Localization;
using static Portal.Tests.Devices.DeviceScenarios;

namespace Portal.Tests.Devices;

/// <summary>
/// The device pages in Hindi (decisions 0071, 0053): a staff member's devices with a banned phone and what to do, a
/// refused registration, the officers' compliance page, and an import's preview whose refused rows give their
/// reasons in Hindi.
/// </summary>
public sealed class DeviceHindiTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private static readonly HashSet<string> Translated = new ResourceManager(typeof(Text))
        .GetResourceSet(CultureInfo.GetCultureInfo("hi"), createIfNotExists: true, tryParents: false)!
        .Cast<DictionaryEntry>()
        .Where(e => (string)e.Key != (string)e.Value! && ((string)e.Key).Any(char.IsAsciiLetterLower))
        .Select(e => (string)e.Key)
        .ToHashSet();

    private static bool IsDevanagari(char c) => c is >= '\u0900' and <= '\u097F';

    private async Task<PortalClient> InHindiAsync(string email)
    {
        var client = await fixture.SignedInAs(email);
        (await client.PostFormAsync("/language", new() { ["Language"] = "hi", ["ReturnUrl"] = "/" }, "/")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        return client;
    }

    /// <summary>The page is Hindi: its heading in Devanagari, and no element whose whole text (or name) is an English text the resources translate.</summary>
    private static IDocument ShouldBeHindi(IDocument page, string what)
    {
        page.DocumentElement.GetAttribute("lang").ShouldBe("hi", what);
        page.QuerySelector("h1")!.TextContent.Any(IsDevanagari).ShouldBeTrue($"{what}: the heading \"{page.QuerySelector("h1")!.TextContent}\" is not in Hindi");
        page.Body!.QuerySelectorAll("*")
            // The mapping step lists the file's own column names: data, not the portal's words.
            .Where(e => e.LocalName is not ("script" or "style") && e.Closest(".language-switch, form[action='/language'], select[name^='Mapping']") is null)
            .SelectMany(e => new[] { e.Children.Length == 0 ? e.TextContent.Trim() : null, e.GetAttribute("aria-label"), e.GetAttribute("title"), e.GetAttribute("placeholder") })
            .OfType<string>().Where(Translated.Contains).Distinct().ToList()
            .ShouldBeEmpty($"{what} still shows English");
        return page;
    }

    [Fact]
    public async Task A_staff_members_devices_a_refused_registration_and_the_compliance_page_are_in_Hindi()
    {
        var staff = await InHindiAsync(Scenarios.Staff);
        await fixture.RegisterAsync(staff, Phone(Imei("86439602", 381), "Xiaomi", "Redmi 1S"));

        var (response, devices) = await staff.GetPageAsync("/devices");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        ShouldBeHindi(devices, "/devices");
        devices.QuerySelector("h1")!.TextContent.ShouldBe("मेरे डिवाइस");
        var row = devices.QuerySelector("tbody tr")!;
        row.QuerySelector("td strong")!.TextContent.ShouldBe("प्रतिबंधित");
        row.TextContent.ShouldContain("इस फ़ोन का उपयोग बंद करें");
        row.QuerySelectorAll("option").Select(o => o.TextContent).ShouldContain("खो गया या चोरी हो गया");
        devices.QuerySelector("label[for='Owner']")!.TextContent.ShouldBe("किसका फ़ोन");

        var refused = await staff.PostFormAsync("/devices", Phone("86439602000", "Xiaomi", "Redmi 1S"));
        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var form = await refused.PageAsync();
        ShouldBeHindi(form, "the refused registration");
        form.Errors().ShouldContain(e => e.Contains("IMEI में 15 अंक होते हैं"));

        var officer = await InHindiAsync(Scenarios.Officer);
        var (_, compliance) = await officer.GetPageAsync("/devices/compliance");
        ShouldBeHindi(compliance, "/devices/compliance");
        compliance.QuerySelector("h1")!.TextContent.ShouldBe("डिवाइस अनुपालन: पूरा संगठन");
        compliance.QuerySelectorAll("svg text").Select(t => t.TextContent).ShouldContain("चिह्नित", "the chart's legend");
    }

    [Fact]
    public async Task An_import_preview_in_Hindi_gives_each_refused_rows_reason_in_Hindi()
    {
        var officer = await InHindiAsync(Scenarios.Officer);
        var csv = "IMEI,Manufacturer,Model,OS version,Primary user UPN\n"
            + $"{Imei("35000041", 1)},Samsung,Galaxy A54,14,{Scenarios.Staff}\n"
            + $"35000041000019,Samsung,Galaxy A54,14,{Scenarios.Staff}\n"
            + $"{Imei("35000041", 1)},Samsung,Galaxy A54,14,{Scenarios.Staff}\n"
            + $"{Imei("35000041", 2)},Samsung,Galaxy A54,14,nobody@portal.example\n";
        var token = await officer.AntiforgeryTokenAsync("/devices/import");
        using var upload = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(csv)), "File", "export.csv" },
        };
        var uploaded = await officer.Http.PostAsync("/devices/import", upload);
        uploaded.StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var (_, preview) = await officer.GetPageAsync(uploaded.Headers.Location!.OriginalString);
        ShouldBeHindi(preview, "the import preview");
        preview.QuerySelectorAll("table.rejections tbody tr td:last-child").Select(td => td.TextContent).ShouldBe(
        [
            "IMEI: IMEI में 15 अंक होते हैं (सॉफ़्टवेयर संस्करण के साथ 16); इसमें 14 हैं।",
            "यही IMEI पंक्ति 2 पर है।",
            "किसी भी स्टाफ़ सदस्य का ई-मेल पता \"nobody@portal.example\" नहीं है।",
        ]);
    }
}
