using Microsoft.Playwright;

namespace Portal.BrowserTests;

/// <summary>The draft form's Hindi version: written beside the English, refused and re-shown with it kept, saved as typed.</summary>
public sealed class HindiDraftFormTests(BrowserFixture browser) : BrowserTest(browser), IClassFixture<BrowserFixture>
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Officer_writes_the_Hindi_version_in_the_draft_form(bool phone)
    {
        var title = phone ? "Hindi draft on a phone" : "Hindi draft on a desktop";
        const string hindiTitle = "मॉडल X का उपयोग बंद करें \u200Fهاتف\u200F";
        const string hindiActions = "फ़ोन का किसी भी सरकारी काम के लिए उपयोग बंद करें।";
        var officer = await Browser.NewPageAsync(phone);
        await Browser.SignInAsync(officer, "officer@portal.example");
        await officer.GotoAsync("/circulars/new");

        await officer.GetByLabel("Title", new() { Exact = true }).FillAsync(title);
        await officer.GetByLabel("Severity").SelectOptionAsync("High");
        await officer.GetByLabel("TLP label").SelectOptionAsync("Green");
        await officer.GetByLabel("Acknowledgement deadline").FillAsync(Browser.Factory.Clock.GetUtcNow().UtcDateTime.AddDays(10).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await officer.GetByLabel("Required actions", new() { Exact = true }).FillAsync("Stop using the phone.");
        var hindi = officer.GetByRole(AriaRole.Group, new() { Name = "Hindi version" });
        await hindi.GetByLabel("शीर्षक").FillAsync(hindiTitle);
        await hindi.GetByLabel("आवश्यक कार्रवाई").FillAsync(hindiActions);
        await officer.GetByRole(AriaRole.Button, new() { Name = "Save draft" }).ClickAsync();

        // The summary was forgotten: the form comes back with the Hindi as typed.
        (await officer.Locator(".error-summary").TextContentAsync())!.ShouldContain("Write a summary");
        (await hindi.GetByLabel("शीर्षक").InputValueAsync()).ShouldBe(hindiTitle);
        (await hindi.GetByLabel("आवश्यक कार्रवाई").InputValueAsync()).ShouldBe(hindiActions);

        await officer.GetByLabel("Summary", new() { Exact = true }).FillAsync("Do not use the **Model X**.");
        await officer.GetByRole(AriaRole.Button, new() { Name = "Save draft" }).ClickAsync();

        (await officer.Locator("[role=status].notice").TextContentAsync()).ShouldBe("Draft saved.");
        var version = officer.Locator(".hindi-version");
        (await version.Locator("dd[lang=hi]").TextContentAsync()).ShouldBe(hindiTitle);
        (await version.Locator(".markdown[lang=hi]").InnerTextAsync()).Trim().ShouldBe(hindiActions);
    }
}
