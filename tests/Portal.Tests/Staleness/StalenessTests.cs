using Portal.Web.Domain;

namespace Portal.Tests.Staleness;

/// <summary>Staleness set by the vendors' news and cleared by an amendment that considered it; who is shown it.</summary>
public sealed class StalenessTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private async Task<AngleSharp.Dom.IElement?> BannerAsync(string who, Guid id)
    {
        var client = await fixture.SignedInAs(who);
        var (response, page) = await client.GetPageAsync($"/circulars/{id}");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return page.QuerySelector(".stale-banner");
    }

    [Fact]
    public async Task A_statement_after_publication_makes_the_circular_stale_for_officers_approvers_and_auditors_and_nobody_else()
    {
        var (id, caseId) = await fixture.PublishedNamingXiaomiAsync("Stale after a statement");
        (await BannerAsync(Scenarios.Officer, id)).ShouldBeNull("nothing has happened on the case yet");
        await fixture.CaseEventAsync(caseId, CaseEventKind.Message, "A question about the test method");
        (await BannerAsync(Scenarios.Officer, id)).ShouldBeNull("a message does not change the advice");

        await fixture.StatementAsync(caseId, "We moved the servers to India in June.", isPublic: true);

        foreach (var reader in new[] { Scenarios.Officer, Scenarios.Approver, Scenarios.Auditor })
        {
            var banner = (await BannerAsync(reader, id)).ShouldNotBeNull(reader);
            banner.TextContent.ShouldContain("We moved the servers to India in June.");
            banner.TextContent.ShouldContain("Xiaomi");
            banner.QuerySelector($"a[href='/vendor-cases/{caseId}']").ShouldNotBeNull();
        }
        (await BannerAsync(Scenarios.Staff, id)).ShouldBeNull("staff are never shown the vendors' news");

        var officer = await fixture.SignedInAs(Scenarios.Officer);
        var (list, listPage) = await officer.GetPageAsync("/circulars/stale");
        list.StatusCode.ShouldBe(HttpStatusCode.OK);
        listPage.QuerySelectorAll($"tbody a[href='/circulars/{id}']").Length.ShouldBe(1);
        var (_, home) = await officer.GetPageAsync("/");
        home.QuerySelector("#officer-stale-title")!.ParentElement!.QuerySelector("a[href='/circulars/stale']").ShouldNotBeNull();
        home.QuerySelector($"#officer-stale-title")!.ParentElement!.QuerySelectorAll($"a[href='/circulars/{id}']").Length.ShouldBe(1);

        var (auditorList, _) = await (await fixture.SignedInAs(Scenarios.Auditor)).GetPageAsync("/circulars/stale");
        auditorList.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await (await fixture.SignedInAs(Scenarios.Staff)).Http.GetAsync("/circulars/stale")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await (await fixture.SignedInAs(Scenarios.Vendor)).Http.GetAsync("/circulars/stale")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var (_, vendorPage) = await (await fixture.SignedInAs(Scenarios.Vendor)).GetPageAsync($"/circulars/{id}");
        vendorPage.QuerySelector(".stale-banner").ShouldBeNull();
    }

    [Fact]
    public async Task The_list_filters_by_words_and_by_vendor_and_refuses_an_overlong_search()
    {
        var (id, caseId) = await fixture.PublishedNamingXiaomiAsync("Filterable stale circular");
        await fixture.StatementAsync(caseId, "Our answer.", isPublic: false);
        var officer = await fixture.SignedInAs(Scenarios.Officer);
        var xiaomi = await fixture.Db(db => db.VendorOrganisations.Where(v => v.Name == "Xiaomi").Select(v => v.Id).SingleAsync());

        var (_, byWords) = await officer.GetPageAsync("/circulars/stale?Q=filterable");
        byWords.QuerySelectorAll($"tbody a[href='/circulars/{id}']").Length.ShouldBe(1);
        var (_, otherWords) = await officer.GetPageAsync("/circulars/stale?Q=nothing-like-this");
        otherWords.QuerySelectorAll($"tbody a[href='/circulars/{id}']").Length.ShouldBe(0);
        var (_, byVendor) = await officer.GetPageAsync($"/circulars/stale?Vendor={xiaomi}");
        byVendor.QuerySelectorAll($"tbody a[href='/circulars/{id}']").Length.ShouldBe(1);
        var (_, otherVendor) = await officer.GetPageAsync($"/circulars/stale?Vendor={Guid.NewGuid()}");
        otherVendor.QuerySelectorAll($"tbody a[href='/circulars/{id}']").Length.ShouldBe(0);
        (await officer.Http.GetAsync("/circulars/stale?Q=" + new string('x', 300))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await officer.Http.GetAsync("/circulars/stale?Vendor=not-a-guid")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task An_amendment_considers_what_occurred_before_its_submission_and_what_came_later_keeps_the_circular_stale()
    {
        var (id, caseId) = await fixture.PublishedNamingXiaomiAsync("Considered by the amendment");
        var before = await fixture.StatementAsync(caseId, "Fixed in firmware 6.0.10.", isPublic: true);
        var officer = await fixture.SignedInAs(Scenarios.Officer);
        var approver = await fixture.SignedInAs(Scenarios.Approver);
        (await fixture.TransitionAsync(officer, id, "amend")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await fixture.TransitionAsync(officer, id, "submit", new() { ["ChangeSummary"] = "The vendor's statement.", ["ChangeKind"] = "Minor", ["IsAmendment"] = "true" }))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);
        await fixture.StatementAsync(caseId, "And the data now stays in India.", isPublic: true);
        (await fixture.TransitionAsync(approver, id, "approve")).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var events = await fixture.CaseEventsAsync(id);
        events.Single(e => e.SubjectId == before).ConsideredInRevision.ShouldBe(2);
        events.Single(e => e.Summary.Contains("stays in India")).ConsideredInRevision.ShouldBeNull("it arrived after the amendment was submitted");
        var banner = (await BannerAsync(Scenarios.Officer, id)).ShouldNotBeNull();
        banner.TextContent.ShouldContain("stays in India");
        banner.TextContent.ShouldNotContain("6.0.10");

        await fixture.AmendAsync(id, "The relocation.");

        (await BannerAsync(Scenarios.Officer, id)).ShouldBeNull();
        (await fixture.CaseEventsAsync(id)).Where(e => e.MakesStale).Select(e => e.ConsideredInRevision).ShouldBe([2, 3]);
        var (_, list) = await officer.GetPageAsync("/circulars/stale");
        list.QuerySelectorAll($"tbody a[href='/circulars/{id}']").Length.ShouldBe(0);
    }

    [Fact]
    public async Task A_withdrawn_circular_is_not_stale()
    {
        var (id, caseId) = await fixture.PublishedNamingXiaomiAsync("Withdrawn, not stale");
        await fixture.StatementAsync(caseId, "Statement on a withdrawn circular.", isPublic: true);
        (await BannerAsync(Scenarios.Officer, id)).ShouldNotBeNull();

        await fixture.WithdrawAsync(id, "Issued in error.");

        (await BannerAsync(Scenarios.Officer, id)).ShouldBeNull();
    }

    [Fact]
    public async Task A_verified_firmware_fix_drafts_an_amendment_that_bans_only_older_firmware_and_cites_the_claim()
    {
        var (id, caseId) = await fixture.PublishedNamingXiaomiAsync("Firmware fix to amend");
        await fixture.ClaimAsync(id, caseId, RemediationKind.FirmwareUpdate, "OTA update stops the upload.", "6.0.10",
            "https://xiaomi.example/releases/6.0.10", new DateOnly(2026, 11, 2));
        var officer = await fixture.SignedInAs(Scenarios.Officer);
        var (_, page) = await officer.GetPageAsync($"/circulars/{id}");
        var form = page.QuerySelector($"form[action='/circulars/{id}/firmware-amendment']").ShouldNotBeNull();
        var claimId = form.QuerySelector("input[name='ClaimId']")!.GetAttribute("value")!;

        var staff = await fixture.SignedInAs(Scenarios.Staff);
        (await staff.PostFormAsync($"/circulars/{id}/firmware-amendment", new() { ["ClaimId"] = claimId, ["Version"] = (await fixture.VersionAsync(id)).ToString() }, "/"))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await fixture.TransitionAsync(officer, id, "firmware-amendment", new() { ["ClaimId"] = Guid.NewGuid().ToString() })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await fixture.Db(db => db.Circulars.Where(c => c.Id == id).Select(c => c.Amendment).SingleAsync())).ShouldBe(AmendmentStatus.None, "a refused request changes nothing");

        var drafted = await fixture.TransitionAsync(officer, id, "firmware-amendment", new() { ["ClaimId"] = claimId });
        drafted.StatusCode.ShouldBe(HttpStatusCode.Redirect, await drafted.Content.ReadAsStringAsync());

        var circular = await fixture.Db(db => db.Circulars.AsNoTracking().Include(c => c.Rules).SingleAsync(c => c.Id == id));
        circular.Amendment.ShouldBe(AmendmentStatus.Editing);
        var model = (await fixture.ModelIdAsync("Xiaomi", CaseScenarios.Model))!.Value;
        circular.Rules.Single(r => r.DeviceModelId == model).FirmwareBelow.ShouldBe("6.0.10");
        circular.Rules.Count.ShouldBe(2, "the scenario model's rule is untouched");
        circular.ChangeKind.ShouldBe(RevisionKind.Material);
        circular.ChangeSummary.ShouldNotBeNull().ShouldContain("Xiaomi released firmware 6.0.10 for Redmi Note");
        var (_, editing) = await officer.GetPageAsync($"/circulars/{id}");
        editing.QuerySelector("textarea[name='ChangeSummary']")!.TextContent.ShouldContain("6.0.10");
        editing.QuerySelector($"form[action='/circulars/{id}/firmware-amendment']").ShouldBeNull("the rule now names that version");

        (await fixture.TransitionAsync(officer, id, "submit", new() { ["ChangeSummary"] = circular.ChangeSummary!, ["ChangeKind"] = "Material", ["IsAmendment"] = "true" }))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await fixture.TransitionAsync(await fixture.SignedInAs(Scenarios.Approver), id, "approve")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await BannerAsync(Scenarios.Officer, id)).ShouldBeNull();
        var revision = await fixture.Db(db => db.CircularRevisions.AsNoTracking().SingleAsync(r => r.CircularId == id && r.Number == 2));
        revision.Rules.Single(r => r.DeviceModelId == model).FirmwareBelow.ShouldBe("6.0.10");
    }

    [Fact]
    public async Task A_verified_firmware_fix_also_bounds_rules_reaching_the_model_by_pattern_or_its_own_tac_and_names_those_it_cannot()
    {
        var officer = await fixture.SignedInAs(Scenarios.Officer);
        var id = await fixture.DraftAsync(officer, "Firmware fix over patterns and TACs");
        await fixture.MakePublishableAsync(id);
        var xiaomi = (await fixture.ManufacturerIdAsync(CaseScenarios.Vendor))!.Value.ToString();
        foreach (var rule in new Dictionary<string, string>[]
        {
            new() { ["ModelPattern"] = "Redmi Note", ["Action"] = nameof(RuleAction.Banned) },
            new() { ["TacPrefixes"] = "86517402, 86439602", ["Action"] = nameof(RuleAction.Restricted) },
            new() { ["ModelPattern"] = "Redmi N*", ["Action"] = nameof(RuleAction.Monitor) },
        })
        {
            rule["ManufacturerId"] = xiaomi;
            var added = await fixture.TransitionAsync(officer, id, "rules", rule);
            added.StatusCode.ShouldBe(HttpStatusCode.Redirect, await added.Content.ReadAsStringAsync());
        }
        (await fixture.TransitionAsync(officer, id, "submit")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await fixture.TransitionAsync(await fixture.SignedInAs(Scenarios.Approver), id, "approve")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var caseId = await fixture.Db(db => db.VendorCases.Where(c => c.CircularId == id).Select(c => c.Id).SingleAsync());
        await fixture.ClaimAsync(id, caseId, RemediationKind.FirmwareUpdate, "OTA update stops the upload.", "6.0.10",
            "https://xiaomi.example/releases/6.0.10", new DateOnly(2026, 11, 2));

        var (_, page) = await officer.GetPageAsync($"/circulars/{id}");
        var claimId = page.QuerySelector($"form[action='/circulars/{id}/firmware-amendment'] input[name='ClaimId']").ShouldNotBeNull().GetAttribute("value")!;
        var drafted = await fixture.TransitionAsync(officer, id, "firmware-amendment", new() { ["ClaimId"] = claimId });
        drafted.StatusCode.ShouldBe(HttpStatusCode.Redirect, await drafted.Content.ReadAsStringAsync());

        var circular = await fixture.Db(db => db.Circulars.AsNoTracking().Include(c => c.Rules).SingleAsync(c => c.Id == id));
        var xiaomiRules = circular.Rules.Where(r => r.ManufacturerId.ToString() == xiaomi).ToList();
        xiaomiRules.Single(r => r.ModelPattern == "Redmi Note").FirmwareBelow.ShouldBe("6.0.10", "the pattern reaches only the Redmi Note");
        var ownTac = xiaomiRules.Single(r => r.TacPrefixes.SequenceEqual(["86517402"]));
        (ownTac.FirmwareBelow, ownTac.Action).ShouldBe(("6.0.10", RuleAction.Restricted), "the Redmi Note's own TAC moved to a bounded rule");
        var otherTac = xiaomiRules.Single(r => r.TacPrefixes.SequenceEqual(["86439602"]));
        (otherTac.FirmwareBelow, otherTac.Action).ShouldBe(((string?)null, RuleAction.Restricted), "the Redmi 1S keeps every firmware covered");
        xiaomiRules.Single(r => r.ModelPattern == "Redmi N*").FirmwareBelow.ShouldBeNull("the pattern reaches the Redmi Note 4G too: it cannot say \"except\"");
        xiaomiRules.Count.ShouldBe(4);
        circular.ChangeSummary.ShouldNotBeNull().ShouldContain("1 other rule(s) reaching Redmi Note together with other models");
        var (_, editing) = await officer.GetPageAsync($"/circulars/{id}");
        editing.QuerySelector($"form[action='/circulars/{id}/firmware-amendment']").ShouldBeNull("nothing left that the fix could rewrite");
    }
}

