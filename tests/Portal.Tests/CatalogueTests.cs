using System.Globalization;
using AngleSharp.Html.Dom;

namespace Portal.Tests;

public sealed class CatalogueTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private Task<Guid> XiaomiVendorAsync() => fixture.Db(db => db.VendorOrganisations.Where(v => v.Name == "Xiaomi").Select(v => v.Id).SingleAsync());

    private async Task<Guid> ManufacturerAsync(PortalClient client, string name, string aliases = "")
    {
        var response = await client.PostFormAsync("/catalogue/manufacturers/new", new() { ["Name"] = name, ["Aliases"] = aliases });
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        return (await fixture.ManufacturerIdAsync(name))!.Value;
    }

    [Fact]
    public async Task Officer_adds_a_manufacturer_with_aliases_and_its_vendor_and_finds_it_in_the_catalogue()
    {
        var officer = await fixture.SignedInAs(Scenarios.Officer);
        var vendor = await XiaomiVendorAsync();

        var response = await officer.PostFormAsync("/catalogue/manufacturers/new", new()
            { ["Name"] = "  Acme Mobile ", ["Aliases"] = "Acme, ACM\nAcme Phones;acme", ["VendorOrganisationId"] = vendor.ToString() });

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.ShouldBe("/catalogue");
        var saved = await fixture.Db(db => db.Manufacturers.SingleAsync(m => m.Name == "Acme Mobile"));
        saved.Aliases.ShouldBe(["Acme", "ACM", "Acme Phones"]);
        saved.VendorOrganisationId.ShouldBe(vendor);
        var (_, page) = await officer.GetPageAsync("/catalogue");
        var section = page.QuerySelectorAll("section").Single(s => s.QuerySelector("h2")!.TextContent == "Acme Mobile");
        section.TextContent.ShouldContain("Acme, ACM, Acme Phones");
        section.TextContent.ShouldContain("Xiaomi");
    }

    [Fact]
    public async Task Officer_renames_a_manufacturer_and_changes_its_aliases()
    {
        var officer = await fixture.SignedInAs(Scenarios.Officer);
        var id = await ManufacturerAsync(officer, "Renamed Before", "RB");

        var (_, form) = await officer.GetPageAsync($"/catalogue/manufacturers/{id}");
        form.FieldValue("Name").ShouldBe("Renamed Before");
        var response = await officer.PostFormAsync($"/catalogue/manufacturers/{id}", new() { ["Name"] = "Renamed After", ["Aliases"] = "RA, R-After" });

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var saved = await fixture.Db(db => db.Manufacturers.SingleAsync(m => m.Id == id));
        saved.Name.ShouldBe("Renamed After");
        saved.Aliases.ShouldBe(["RA", "R-After"]);
        saved.VendorOrganisationId.ShouldBeNull();
    }

    [Fact]
    public async Task A_taken_name_or_alias_is_explained_with_the_typed_values_kept_and_nothing_saved()
    {
        var admin = await fixture.SignedInAs("admin@portal.example");
        var before = await fixture.Db(db => db.Manufacturers.CountAsync());

        var response = await admin.PostFormAsync("/catalogue/manufacturers/new", new() { ["Name"] = "xiaomi", ["Aliases"] = "Redmi, Brand New" });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var page = await response.PageAsync();
        page.Errors().ShouldBe(["There is already a manufacturer called “Xiaomi”: edit that one instead.", "The alias “Redmi” already stands for Xiaomi."], ignoreOrder: true);
        page.FieldValue("Name").ShouldBe("xiaomi");
        page.FieldValue("Aliases").ShouldBe("Redmi, Brand New");
        (await fixture.Db(db => db.Manufacturers.CountAsync())).ShouldBe(before);
    }

    [Fact]
    public async Task Renaming_a_manufacturer_to_another_ones_name_is_refused()
    {
        var officer = await fixture.SignedInAs(Scenarios.Officer);
        var id = await ManufacturerAsync(officer, "Second Maker");

        var response = await officer.PostFormAsync($"/catalogue/manufacturers/{id}", new() { ["Name"] = "Samsung" });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.PageAsync()).Errors().ShouldBe(["There is already a manufacturer called “Samsung”: edit that one instead."]);
        (await fixture.Db(db => db.Manufacturers.Where(m => m.Id == id).Select(m => m.Name).SingleAsync())).ShouldBe("Second Maker");
    }

    [Fact]
    public async Task Officer_adds_a_model_with_model_numbers_and_tacs_and_edits_it()
    {
        var officer = await fixture.SignedInAs(Scenarios.Officer);
        var maker = await ManufacturerAsync(officer, "Model Maker");

        var created = await officer.PostFormAsync("/catalogue/models/new", new()
            { ["ManufacturerId"] = maker.ToString(), ["MarketingName"] = "Phone One", ["ModelNumbers"] = "PO-1, PO-1X", ["Tacs"] = "35000001\n35000002, 35000001" });

        created.StatusCode.ShouldBe(HttpStatusCode.Redirect, await created.Content.ReadAsStringAsync());
        var id = (await fixture.ModelIdAsync("Model Maker", "Phone One"))!.Value;
        var model = await fixture.Db(db => db.DeviceModels.SingleAsync(m => m.Id == id));
        model.ModelNumbers.ShouldBe(["PO-1", "PO-1X"]);
        model.Tacs.ShouldBe(["35000001", "35000002"]);

        var (_, form) = await officer.GetPageAsync($"/catalogue/models/{id}");
        form.FieldValue("Tacs").ShouldBe("35000001\n35000002");
        var edited = await officer.PostFormAsync($"/catalogue/models/{id}", new()
        {
            ["ManufacturerId"] = (await fixture.ManufacturerIdAsync("Samsung"))!.Value.ToString(),
            ["MarketingName"] = "Phone One Plus", ["ModelNumbers"] = "PO-1P", ["Tacs"] = "35000003",
        });

        edited.StatusCode.ShouldBe(HttpStatusCode.Redirect, await edited.Content.ReadAsStringAsync());
        model = await fixture.Db(db => db.DeviceModels.SingleAsync(m => m.Id == id));
        model.MarketingName.ShouldBe("Phone One Plus");
        model.Tacs.ShouldBe(["35000003"]);
        model.ManufacturerId.ShouldBe(maker, "a model never moves to another manufacturer");
        var (_, catalogue) = await officer.GetPageAsync("/catalogue");
        catalogue.QuerySelectorAll("tbody th").Select(th => th.TextContent).ShouldContain("Phone One Plus");
    }

    [Fact]
    public async Task A_tac_that_is_not_eight_digits_is_named_and_nothing_is_saved()
    {
        var officer = await fixture.SignedInAs(Scenarios.Officer);
        var xiaomi = (await fixture.ManufacturerIdAsync("Xiaomi"))!.Value;
        var before = await fixture.Db(db => db.DeviceModels.CountAsync());

        var response = await officer.PostFormAsync("/catalogue/models/new", new()
            { ["ManufacturerId"] = xiaomi.ToString(), ["MarketingName"] = "Redmi 2", ["ModelNumbers"] = "2014811", ["Tacs"] = "86111102\n8611110, 8611110A" });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var page = await response.PageAsync();
        page.Errors().ShouldBe([
            "“8611110” is not a TAC: a TAC is exactly 8 digits, the first eight of the IMEI.",
            "“8611110A” is not a TAC: a TAC is exactly 8 digits, the first eight of the IMEI.",
        ]);
        page.FieldValue("Tacs").ShouldBe("86111102\n8611110, 8611110A");
        page.FieldValue("MarketingName").ShouldBe("Redmi 2");
        (page.QuerySelector("select[name=ManufacturerId] option[selected]") as IHtmlOptionElement)!.Value.ShouldBe(xiaomi.ToString());
        (await fixture.Db(db => db.DeviceModels.CountAsync())).ShouldBe(before);
    }

    [Fact]
    public async Task A_model_name_or_tac_already_in_the_catalogue_is_refused()
    {
        var officer = await fixture.SignedInAs(Scenarios.Officer);
        var xiaomi = (await fixture.ManufacturerIdAsync("Xiaomi"))!.Value;

        var response = await officer.PostFormAsync("/catalogue/models/new", new()
            { ["ManufacturerId"] = xiaomi.ToString(), ["MarketingName"] = "redmi 1s", ["Tacs"] = "86439602" });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.PageAsync()).Errors().ShouldBe(["Xiaomi already has a model called “redmi 1s”.", "TAC 86439602 already belongs to Xiaomi Redmi 1S."], ignoreOrder: true);
    }

    [Fact]
    public async Task A_model_needs_a_manufacturer_and_a_name()
    {
        var officer = await fixture.SignedInAs(Scenarios.Officer);

        var response = await officer.PostFormAsync("/catalogue/models/new", new() { ["MarketingName"] = "" });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.PageAsync()).Errors().ShouldBe(["Enter the model's marketing name, for example Redmi 1S.", "Choose the manufacturer."], ignoreOrder: true);
    }

    [Fact]
    public async Task Officer_adds_firmware_versions_to_a_model_and_a_duplicate_or_future_one_is_refused()
    {
        var officer = await fixture.SignedInAs(Scenarios.Officer);
        var model = (await fixture.ModelIdAsync("Xiaomi", "Mi 3"))!.Value;
        var url = $"/catalogue/models/{model}/firmware";

        var released = DateOnly.FromDateTime(fixture.Clock.GetUtcNow().UtcDateTime).AddDays(-10);
        var added = await officer.PostFormAsync(url, new() { ["Version"] = "V6.1.2", ["ReleasedOn"] = released.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["Notes"] = "Backup off by default." });

        added.StatusCode.ShouldBe(HttpStatusCode.Redirect, await added.Content.ReadAsStringAsync());
        added.Headers.Location!.OriginalString.ShouldBe(url);
        var saved = await fixture.Db(db => db.FirmwareVersions.SingleAsync(f => f.DeviceModelId == model && f.Version == "V6.1.2"));
        saved.ReleasedOn.ShouldBe(released);
        saved.Notes.ShouldBe("Backup off by default.");
        var (_, page) = await officer.GetPageAsync(url);
        page.QuerySelector("h1")!.TextContent.ShouldBe("Firmware of the Xiaomi Mi 3");
        page.QuerySelectorAll("tbody td").Select(td => td.TextContent).ShouldContain("V6.1.2");

        var refused = await officer.PostFormAsync(url, new()
            { ["Version"] = "v6.1.2", ["ReleasedOn"] = fixture.Clock.GetUtcNow().UtcDateTime.AddDays(30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["Notes"] = "Typed notes" });

        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = await refused.PageAsync();
        errors.Errors().ShouldBe(["Version v6.1.2 of this model is already in the catalogue.",
            "The release date cannot be in the future: leave it empty if the version is announced but not out."], ignoreOrder: true);
        errors.FieldValue("Notes").ShouldBe("Typed notes");
        errors.QuerySelector("h1")!.TextContent.ShouldBe("Firmware of the Xiaomi Mi 3", "the refused form is shown with its model");
    }

    [Theory]
    [InlineData(Scenarios.Approver)]
    [InlineData(Scenarios.Auditor)]
    public async Task Approvers_and_auditors_read_the_catalogue_but_do_not_change_it(string email)
    {
        var reader = await fixture.SignedInAs(email);

        var (response, page) = await reader.GetPageAsync("/catalogue");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        page.QuerySelectorAll("h2").Select(h => h.TextContent).ShouldContain("Xiaomi");
        page.QuerySelectorAll("a[href^='/catalogue/manufacturers'], a[href^='/catalogue/models/new']").ShouldBeEmpty();
        page.QuerySelectorAll("a[href^='/catalogue/models/']").ShouldAllBe(a => a.GetAttribute("href")!.EndsWith("/firmware"));
        var (firmware, versions) = await reader.GetPageAsync($"/catalogue/models/{await fixture.ModelIdAsync("Xiaomi", "Redmi 1S")}/firmware");
        firmware.StatusCode.ShouldBe(HttpStatusCode.OK);
        versions.QuerySelectorAll("tbody td").Select(td => td.TextContent).ShouldContain("Over-the-air update: cloud messaging made opt-in (vendor's statement).");
        versions.QuerySelector("form[action$='/firmware']").ShouldBeNull();
        (await reader.Http.GetAsync("/catalogue/manufacturers/new")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var post = await reader.PostFormAsync("/catalogue/manufacturers/new", new() { ["Name"] = "Not Allowed" }, "/catalogue");
        post.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await fixture.ManufacturerIdAsync("Not Allowed")).ShouldBeNull();
    }

    [Theory]
    [InlineData(Scenarios.Staff)]
    [InlineData(Scenarios.Vendor)]
    [InlineData(Scenarios.Commander)]
    public async Task Staff_vendors_and_commanders_do_not_reach_the_catalogue(string email)
    {
        var client = await fixture.SignedInAs(email);
        (await client.Http.GetAsync("/catalogue")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Administrators_edit_the_catalogue_too()
    {
        var admin = await fixture.SignedInAs("admin@portal.example");
        var id = await ManufacturerAsync(admin, "Admin Added", "AA");
        (await admin.Http.GetAsync($"/catalogue/manufacturers/{id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
