using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Portal.BrowserTests;

public sealed class DeviceImportJourneyTests(BrowserFixture browser) : BrowserTest(browser), IClassFixture<BrowserFixture>
{
    private static string Imei(string fourteen) => fourteen + Portal.Web.Domain.Imeis.CheckDigit(fourteen);

    [Fact]
    public async Task Officer_imports_an_MDM_export_sees_the_rejected_row_and_its_reason_and_the_banned_phone_is_flagged()
    {
        var officer = await Browser.NewPageAsync();
        await Browser.SignInAsync(officer, "officer@portal.example");
        var banned = Imei("86439602777001");
        var csv = $"""
            Device name,Manufacturer,Model,IMEI,Serial number,OS version,Primary user UPN
            Field phone,XIAOMI INC.,Redmi 1S,{banned},SER1,V5.7.4,staff@portal.example
            Typo phone,Samsung,Galaxy A54,490154203237519,SER2,14,staff@portal.example
            """;

        await officer.GotoAsync("/devices/import");
        await officer.GetByLabel("MDM export (CSV)").SetInputFilesAsync(new FilePayload
            { Name = "intune-export.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        await officer.GetByRole(AriaRole.Button, new() { Name = "Upload and preview" }).ClickAsync();

        (await officer.Locator("h1").TextContentAsync()).ShouldBe("Import intune-export.csv");
        var refused = officer.Locator("table.rejections tbody tr");
        (await refused.CountAsync()).ShouldBe(1);
        (await refused.First.TextContentAsync())!.ShouldContain("Luhn");
        await officer.GetByRole(AriaRole.Button, new() { Name = "Import 1 devices" }).ClickAsync();
        (await officer.Locator("progress").CountAsync()).ShouldBe(1);
        // The worker is off in test hosts: run the queued import as the worker would, then load the page again.
        await using (var scope = Browser.Factory.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<Mediator.IMediator>().Send(new Portal.Web.Features.Devices.RunImport.Command());
        // The progress page reloads itself (Refresh header): that reload may abort this navigation once; then go again.
        var outcome = officer.Url.Split('?')[0] + "?refresh=off";
        try { await officer.GotoAsync(outcome); }
        catch (PlaywrightException) { await officer.GotoAsync(outcome); }

        (await officer.Locator("[role=status].notice").TextContentAsync())!.ShouldContain("1 new");
        (await officer.Locator("table.rejections tbody tr").CountAsync()).ShouldBe(1);

        await officer.GotoAsync("/devices/compliance?status=Flagged");
        (await officer.Locator("table.devices").TextContentAsync())!.ShouldContain(banned);
    }
}
