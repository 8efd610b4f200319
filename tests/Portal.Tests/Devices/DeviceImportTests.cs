using System.Text;
using AngleSharp.Html.Dom;
using Portal.Web.Domain;
using Portal.Web.Features.Devices;
using static Portal.Tests.Devices.DeviceScenarios;

namespace Portal.Tests.Devices;

/// <summary>MDM exports: upload, column mapping, preview, import, rejected rows with reasons, and importing again.</summary>
public sealed class DeviceImportTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private const string IntuneHeader = "Device name,Manufacturer,Model,IMEI,Serial number,OS version,Primary user UPN";

    private static async Task<HttpResponseMessage> UploadAsync(PortalClient officer, byte[] content, string fileName = "export.csv")
    {
        var token = await officer.AntiforgeryTokenAsync("/devices/import");
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new ByteArrayContent(content), "File", fileName },
        };
        return await officer.Http.PostAsync("/devices/import", form);
    }

    private static async Task<string> UploadedAsync(PortalClient officer, string csv)
    {
        var response = await UploadAsync(officer, [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv)]);
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        return response.Headers.Location!.OriginalString;
    }

    private static Dictionary<string, string> Counts(IHtmlDocument page) =>
        page.QuerySelectorAll("table.summary tr").ToDictionary(r => r.QuerySelector("th")!.TextContent.Trim(), r => r.QuerySelector("td")!.TextContent.Trim());

    [Fact]
    public async Task An_Intune_export_is_previewed_then_imported_with_each_refused_row_and_its_reason_and_again_changes_nothing()
    {
        var officer = await fixture.SignedInAs(Scenarios.Officer);
        var good = Imei("35000010", 1);
        var banned = Imei("86439602", 2);
        var csv = $"""
            {IntuneHeader}
            Pat phone,Samsung Electronics Co. Ltd.,Galaxy A54,{good},R5CT1,14,{Scenarios.Staff}
            Old Redmi,XIAOMI INC.,Redmi 1S,{banned},X1,V5.7.4,SN10002@portal.example
            Typo,Samsung,Galaxy A54,490154203237519,R5CT2,14,{Scenarios.Staff}
            Nobody,Samsung,Galaxy A54,{Imei("35000010", 3)},R5CT3,14,nobody@elsewhere.example
            Again,Samsung,Galaxy A54,{good},R5CT1,14,{Scenarios.Staff}
            Formula,=HYPERLINK("http://x"),Galaxy A54,{Imei("35000010", 4)},R5CT4,14,{Scenarios.Staff}
            """;
        var location = await UploadedAsync(officer, csv);

        var (_, preview) = await officer.GetPageAsync(location);
        var counts = Counts(preview);
        counts["Rows in the file"].ShouldBe("6");
        counts["Would add"].ShouldBe("2");
        counts["Refused rows"].ShouldBe("4");
        var reasons = preview.QuerySelectorAll("table.rejections tbody tr").Select(r => r.TextContent).ToList();
        reasons[0].ShouldContain("Luhn");
        reasons[1].ShouldContain("nobody@elsewhere.example");
        reasons[2].ShouldContain("same IMEI is on line 2");
        reasons[3].ShouldContain("formula");
        (await fixture.Db(db => db.Devices.CountAsync(d => d.Imei == good))).ShouldBe(0, "a preview imports nothing");

        var imported = await officer.PostFormAsync(location, [], location);
        imported.StatusCode.ShouldBe(HttpStatusCode.Redirect, await imported.Content.ReadAsStringAsync());
        (await fixture.SendAsync(new RunImport.Command())).State.ShouldBe(DeviceImportState.Completed);
        var (_, outcome) = await officer.GetPageAsync(location);
        Counts(outcome)["New devices"].ShouldBe("2");
        outcome.QuerySelectorAll("table.rejections tbody tr").Count.ShouldBe(4);
        var redmi = await fixture.Db(db => db.Devices.SingleAsync(d => d.Imei == banned));
        redmi.Source.ShouldBe(DeviceSource.MdmImport);
        (await fixture.FindingsAsync(redmi.Id)).ShouldHaveSingleItem().Action.ShouldBe(RuleAction.Banned);

        var again = await UploadedAsync(officer, csv.Replace($",V5.7.4,", ",V5.7.5,", StringComparison.Ordinal));
        (await officer.PostFormAsync(again, [], again)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await fixture.SendAsync(new RunImport.Command())).State.ShouldBe(DeviceImportState.Completed);
        var (_, second) = await officer.GetPageAsync(again);
        Counts(second)["New devices"].ShouldBe("0");
        Counts(second)["Updated"].ShouldBe("1");
        Counts(second)["Unchanged"].ShouldBe("1");
        (await fixture.Db(db => db.Devices.CountAsync(d => d.Imei == good || d.Imei == banned))).ShouldBe(2);
        (await fixture.Db(db => db.Devices.SingleAsync(d => d.Imei == banned))).OsVersion.ShouldBe("V5.7.5");
    }

    [Fact]
    public async Task Unknown_headers_are_mapped_by_the_officer_before_anything_is_previewed()
    {
        var officer = await fixture.SignedInAs(Scenarios.Officer);
        var location = await UploadedAsync(officer, $"""
            Handset identity;Brand;Model;Owner mail
            {Imei("35000011", 1)};Samsung;Galaxy S23;{Scenarios.Staff}
            """);

        var (_, page) = await officer.GetPageAsync(location);
        page.QuerySelector(".error-summary")!.TextContent.ShouldContain("Choose the column for: IMEI");

        var mapped = await officer.PostFormAsync(location + "/mapping", new()
        {
            ["Mapping[Imei]"] = "Handset identity", ["Mapping[Manufacturer]"] = "Brand", ["Mapping[Model]"] = "Model",
            ["Mapping[PrimaryUser]"] = "Owner mail", ["Mapping[OsVersion]"] = "No such column",
        }, location);
        mapped.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var (_, preview) = await officer.GetPageAsync(location);
        Counts(preview)["Would add"].ShouldBe("1");
    }

    [Fact]
    public async Task A_file_that_is_not_UTF8_or_has_no_header_is_refused_on_the_upload_form()
    {
        var officer = await fixture.SignedInAs(Scenarios.Officer);

        var latin1 = await UploadAsync(officer, Encoding.Latin1.GetBytes("IMEI,Manufacturer,Model,UPN\n1,Société,X,a@b.example\n"));
        latin1.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await latin1.PageAsync()).Errors().ShouldHaveSingleItem().ShouldContain("not UTF-8");

        var empty = await UploadAsync(officer, []);
        empty.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Only_security_officers_import_and_an_unknown_import_is_not_found()
    {
        var staff = await fixture.SignedInAs(Scenarios.Staff);
        (await staff.Http.GetAsync("/devices/import")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var officer = await fixture.SignedInAs(Scenarios.Officer);
        (await officer.Http.GetAsync($"/devices/import/{Guid.NewGuid()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await officer.PostFormAsync($"/devices/import/{Guid.NewGuid()}", [], "/devices/import")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
