using System.Net.Http.Headers;
using Microsoft.AspNetCore.Identity;
using Portal.Web.Data;
using Portal.Web.Domain;

namespace Portal.Tests;

/// <summary>The vendor's side of a case and the officers' review (issue 9, parts 4 and 5), through the forms the pages post.</summary>
public sealed class VendorResponseTests(EvidenceFixture evidence) : IClassFixture<EvidenceFixture>
{
    private PortalFixture Fixture => evidence.Portal;

    private Task<Guid> ModelAsync(string name) => Fixture.ModelIdAsync("Xiaomi", name).ContinueWith(t => t.Result!.Value);

    /// <summary>A circular naming Xiaomi's Redmi Note, published: Xiaomi's case is open.</summary>
    private async Task<(Guid Circular, Guid Case)> OpenCaseAsync(string title)
    {
        var officer = await Fixture.SignedInAs(Scenarios.Officer);
        var approver = await Fixture.SignedInAs(Scenarios.Approver);
        var id = await Fixture.DraftAsync(officer, title);
        await Fixture.MakePublishableAsync(id);
        var rule = await Fixture.TransitionAsync(officer, id, "rules", new()
        {
            ["ManufacturerId"] = (await Fixture.ManufacturerIdAsync("Xiaomi"))!.Value.ToString(),
            ["DeviceModelId"] = (await ModelAsync("Redmi Note")).ToString(),
            ["Action"] = nameof(RuleAction.Banned),
        });
        rule.StatusCode.ShouldBe(HttpStatusCode.Redirect, await rule.Content.ReadAsStringAsync());
        (await Fixture.TransitionAsync(officer, id, "submit")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await Fixture.TransitionAsync(approver, id, "approve")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        return (id, await Fixture.Db(db => db.VendorCases.Where(c => c.CircularId == id).Select(c => c.Id).SingleAsync()));
    }

    private async Task<Dictionary<string, string>> FirmwareClaimAsync(string version = "6.0.10") => new()
    {
        ["DeviceModelId"] = (await ModelAsync("Redmi Note")).ToString(),
        ["Kind"] = nameof(RemediationKind.FirmwareUpdate),
        ["Description"] = "Stops the forwarding of contacts and SMS.",
        ["FirmwareVersion"] = version,
        ["ReleasedOn"] = "2026-02-10",
        ["Link"] = "https://www.mi.com/firmware/6.0.10",
    };

    private async Task<Guid> SubmitAsync(PortalClient vendor, Guid caseId, Dictionary<string, string> fields)
    {
        var response = await vendor.PostFormAsync($"/vendor-cases/{caseId}/claims", fields, $"/vendor-cases/{caseId}");
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        return Guid.Parse(response.Headers.Location!.OriginalString.Split("#claim-")[1]);
    }

    private async Task<HttpResponseMessage> UploadAsync(PortalClient vendor, Guid caseId, Guid claimId, byte[] bytes, string name)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(await vendor.AntiforgeryTokenAsync($"/vendor-cases/{caseId}")), "__RequestVerificationToken");
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(file, "File", name);
        return await vendor.Http.PostAsync($"/vendor-cases/{caseId}/claims/{claimId}/files", form);
    }

    private Task<List<CaseEventKind>> EventsAsync(Guid caseId) =>
        Fixture.Db(db => db.CaseEvents.Where(e => e.CaseId == caseId).OrderBy(e => e.OccurredAt).ThenBy(e => e.Id).Select(e => e.Kind).ToListAsync());

    private Task<int> NoticesAsync(string email, Guid circularId) =>
        Fixture.Db(db => db.Notifications.CountAsync(n => n.CircularId == circularId && n.Purpose == NotificationPurpose.CaseActivity
            && n.Channel == NotificationChannel.Email && n.UserId == db.Users.Where(u => u.Email == email).Select(u => u.Id).First()));

    private Task<uint> ClaimVersionAsync(Guid claimId) => Fixture.Db(db => db.RemediationClaims.Where(c => c.Id == claimId).Select(c => c.Version).SingleAsync());

    [Fact]
    public async Task The_vendor_states_claims_a_firmware_fix_with_its_release_note_and_writes_and_the_officers_answer()
    {
        var (circular, caseId) = await OpenCaseAsync("Vendor answers");
        var vendor = await Fixture.SignedInAs(Scenarios.Vendor);
        var officer = await Fixture.SignedInAs(Scenarios.Officer);
        var page = $"/vendor-cases/{caseId}";

        (await vendor.PostFormAsync($"{page}/statements", new() { ["Text"] = "We have fixed this in an update.", ["IsPublic"] = "true" }, page))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var claimId = await SubmitAsync(vendor, caseId, await FirmwareClaimAsync());
        var upload = await UploadAsync(vendor, caseId, claimId, EvidenceScenarios.Pdf, "release-note.pdf");
        upload.StatusCode.ShouldBe(HttpStatusCode.Redirect, await upload.Content.ReadAsStringAsync());
        (await vendor.PostFormAsync($"{page}/messages", new() { ["Body"] = "When will the lab re-test?" }, page)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await officer.PostFormAsync($"{page}/messages", new() { ["Body"] = "Next week." }, page)).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var statement = await Fixture.Db(db => db.CaseStatements.AsNoTracking().SingleAsync(s => s.CaseId == caseId));
        statement.IsPublic.ShouldBeTrue();
        var claim = await Fixture.Db(db => db.RemediationClaims.AsNoTracking().Include(c => c.Files).SingleAsync(c => c.Id == claimId));
        (claim.Kind, claim.FirmwareVersion, claim.ReleasedOn, claim.Link, claim.Status)
            .ShouldBe((RemediationKind.FirmwareUpdate, "6.0.10", new DateOnly(2026, 2, 10), "https://www.mi.com/firmware/6.0.10", ClaimStatus.Submitted));
        var file = claim.Files.ShouldHaveSingleItem();
        (file.FileName, file.ContentType).ShouldBe(("release-note.pdf", "application/pdf"));
        File.Exists(evidence.StoredPath(file.Sha256)).ShouldBeTrue();
        (await EventsAsync(caseId)).ShouldBe([CaseEventKind.Statement, CaseEventKind.ClaimSubmitted, CaseEventKind.Message, CaseEventKind.Message]);
        (await NoticesAsync(Scenarios.Officer, circular)).ShouldBe(3, "the statement, the claim and the vendor's message");
        (await NoticesAsync(Scenarios.Vendor, circular)).ShouldBe(1, "the officer's answer");

        var fileUrl = $"{page}/claims/{claimId}/files/{file.Id}";
        var download = await officer.Http.GetAsync(fileUrl);
        download.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await download.Content.ReadAsByteArrayAsync()).ShouldBe(EvidenceScenarios.Pdf);
        download.Content.Headers.ContentDisposition!.DispositionType.ShouldBe("attachment");
        (await vendor.Http.GetAsync(fileUrl)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await (await Fixture.SignedInAs(Scenarios.Auditor)).Http.GetAsync(fileUrl)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await Fixture.Db(db => db.AuditEvents.Where(e => e.EntityId == claimId).Select(e => e.Action).ToListAsync()))
            .ShouldBe(["ClaimFileUploaded", "ClaimFileDownloaded", "ClaimFileDownloaded"], ignoreOrder: true);

        var (_, shown) = await vendor.GetPageAsync(page);
        var main = shown.QuerySelector("main")!.TextContent;
        main.ShouldContain("We have fixed this in an update.");
        main.ShouldContain("release-note.pdf");
        main.ShouldContain("Next week.");
        main.ShouldNotContain("Sam Officer", Case.Sensitive, "vendors read the security unit's messages without officers' names");

        var mail = await Fixture.Db(async db =>
        {
            var composer = Fixture.Factory.Services.GetRequiredService<Portal.Web.Features.Notifications.MessageComposer>();
            var n = await db.Notifications.AsNoTracking().FirstAsync(n => n.CircularId == circular && n.Purpose == NotificationPurpose.CaseActivity && n.Channel == NotificationChannel.Email);
            var revision = await db.CircularRevisions.AsNoTracking().SingleAsync(r => r.CircularId == circular && r.Number == 1);
            return await composer.EmailAsync(n, revision, Portal.Web.Features.Notifications.MessageFacts.None);
        });
        mail.Subject.ShouldStartWith("News on a vendor case: [");
        mail.Text.ShouldContain("/vendor-cases");
        mail.Html.ShouldNotContain("When will the lab re-test?", Case.Sensitive, "what was said is read in the portal");
    }

    [Fact]
    public async Task Bad_claims_and_files_are_refused_on_the_same_form_and_another_vendors_case_is_not_found()
    {
        var (circular, caseId) = await OpenCaseAsync("Vendor bad input");
        var vendor = await Fixture.SignedInAs(Scenarios.Vendor);
        var page = $"/vendor-cases/{caseId}";
        var before = await EventsAsync(caseId);

        var stranger = await FirmwareClaimAsync();
        stranger["DeviceModelId"] = (await ModelAsync("Mi 4")).ToString();
        var notInCase = await vendor.PostFormAsync($"{page}/claims", stranger, page);
        notInCase.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await notInCase.PageAsync()).Errors().ShouldBe(["That model is not part of this case: choose one of the models the circular names."]);

        var relocation = new Dictionary<string, string>
        {
            ["DeviceModelId"] = (await ModelAsync("Redmi Note")).ToString(), ["Kind"] = nameof(RemediationKind.DataRelocation),
            ["RelocatedFrom"] = "CN", ["RelocatedTo"] = "XX", ["PlannedOn"] = "2026-06-01",
        };
        var country = await vendor.PostFormAsync($"{page}/claims", relocation, page);
        country.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var refused = await country.PageAsync();
        refused.Errors().ShouldBe(["\"XX\" is not an ISO 3166 country code: use two letters, such as CN or SG."]);
        refused.FieldValue("RelocatedTo").ShouldBe("XX");
        refused.FieldValue("RelocatedFrom").ShouldBe("CN");

        var bare = await vendor.PostFormAsync($"{page}/claims", new() { ["DeviceModelId"] = (await ModelAsync("Redmi Note")).ToString(), ["Kind"] = "FirmwareUpdate" }, page);
        (await bare.PageAsync()).Errors().ShouldBe(["Give the firmware version that fixes the model.", "Give the firmware's release date.", "Give a link to the firmware or its release note."]);

        var claimId = await SubmitAsync(vendor, caseId, await FirmwareClaimAsync());
        var exe = await UploadAsync(vendor, caseId, claimId, [0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, .. new byte[500]], "release-note.pdf");
        exe.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await exe.PageAsync()).Errors().ShouldHaveSingleItem().ShouldStartWith("This file looks like a Windows program, whatever its name says.");
        (await Fixture.Db(db => db.ClaimFiles.CountAsync(f => f.ClaimId == claimId))).ShouldBe(0);
        evidence.Incoming().ShouldBeEmpty();

        var verified = await vendor.PostFormAsync($"{page}/status", new() { ["DeviceModelId"] = (await ModelAsync("Redmi Note")).ToString(), ["Status"] = "FixVerified" }, page);
        verified.StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        var other = await Fixture.Db(async db =>
        {
            var vendorOrganisation = VendorOrganisation.Create("Other Phones Ltd " + Guid.NewGuid().ToString("N")[..6], null, Fixture.Clock.GetUtcNow());
            db.VendorOrganisations.Add(vendorOrganisation);
            var model = await db.DeviceModels.FirstAsync(m => m.MarketingName == "Redmi Note");
            var foreign = VendorCase.Open(circular, vendorOrganisation.Id, 1, [(model.Id, model.MarketingName)], Fixture.Clock.GetUtcNow(), 14);
            db.VendorCases.Add(foreign);
            await db.SaveChangesAsync();
            return foreign.Id;
        });
        (await vendor.PostFormAsync($"/vendor-cases/{other}/statements", new() { ["Text"] = "Not ours." }, page)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await vendor.PostFormAsync($"/vendor-cases/{other}/claims", await FirmwareClaimAsync(), page)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await vendor.PostFormAsync($"/vendor-cases/{other}/messages", new() { ["Body"] = "Hello" }, page)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await UploadAsync(vendor, other, claimId, EvidenceScenarios.Pdf, "a.pdf")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Fixture.Db(db => db.CaseEvents.CountAsync(e => e.CaseId == other))).ShouldBe(0);
        (await Fixture.Db(db => db.CaseStatements.CountAsync(s => s.CaseId == other))).ShouldBe(0);
        (await EventsAsync(caseId)).ShouldBe([.. before, CaseEventKind.ClaimSubmitted], "only the one valid claim was recorded");
    }

    [Fact]
    public async Task Officers_review_a_claim_a_retest_is_recorded_and_a_second_officer_verifies_the_fix()
    {
        var (circular, caseId) = await OpenCaseAsync("Vendor verification");
        var vendor = await Fixture.SignedInAs(Scenarios.Vendor);
        var officer = await Fixture.SignedInAs(Scenarios.Officer);
        var second = await SecondOfficerAsync();
        var page = $"/vendor-cases/{caseId}";
        var claimId = await SubmitAsync(vendor, caseId, await FirmwareClaimAsync());
        var review = $"{page}/claims/{claimId}/review";

        var noReason = await officer.PostFormAsync(review, new() { ["Outcome"] = "InformationRequested", ["Version"] = (await ClaimVersionAsync(claimId)).ToString() }, page);
        noReason.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await noReason.PageAsync()).Errors().ShouldBe(["Say what information is needed."]);
        var staleVersion = await ClaimVersionAsync(claimId);
        (await officer.PostFormAsync(review, new() { ["Outcome"] = "InformationRequested", ["Note"] = "Send the release note.", ["Version"] = staleVersion.ToString() }, page))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var stale = await second.PostFormAsync(review, new() { ["Outcome"] = "Rejected", ["Note"] = "No.", ["Version"] = staleVersion.ToString() }, page);
        stale.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var stalePage = await stale.PageAsync();
        stalePage.Errors().ShouldHaveSingleItem().ShouldStartWith("Someone else changed this record while you were editing it.");
        stalePage.FieldValue("Note").ShouldBe("No.");
        (await officer.PostFormAsync(review, new() { ["Outcome"] = "PendingVerification", ["Version"] = (await ClaimVersionAsync(claimId)).ToString() }, page))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);

        (await Fixture.TransitionAsync(officer, circular, "amend")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var retestEvidence = await Fixture.RecordEvidenceAsync(officer, circular, "LAB/2026/140 re-test of firmware 6.0.10");
        (await Fixture.UploadAsync(officer, circular, retestEvidence, EvidenceScenarios.Pdf, "retest.pdf")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await officer.PostFormAsync($"{page}/claims/{claimId}/retest", new() { ["EvidenceId"] = retestEvidence.ToString(), ["Version"] = (await ClaimVersionAsync(claimId)).ToString() }, page))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var sameOfficer = await officer.PostFormAsync($"{page}/claims/{claimId}/verify", new() { ["Version"] = (await ClaimVersionAsync(claimId)).ToString() }, page);
        sameOfficer.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await sameOfficer.PageAsync()).Errors().ShouldBe(["A second officer verifies the fix: you recorded the re-test."]);
        (await vendor.PostFormAsync($"{page}/claims/{claimId}/verify", new(), page)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await second.PostFormAsync($"{page}/claims/{claimId}/verify", new() { ["Version"] = (await ClaimVersionAsync(claimId)).ToString() }, page))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var claim = await Fixture.Db(db => db.RemediationClaims.AsNoTracking().SingleAsync(c => c.Id == claimId));
        (claim.Status, claim.RetestEvidenceId).ShouldBe((ClaimStatus.Verified, (Guid?)retestEvidence));
        claim.VerifiedById.ShouldNotBe(claim.RetestRecordedById);
        (await Fixture.Db(db => db.VendorCaseModels.Where(m => m.CaseId == caseId).Select(m => m.Status).SingleAsync())).ShouldBe(ModelStatus.FixVerified);
        (await EventsAsync(caseId)).ShouldBe([CaseEventKind.ClaimSubmitted, CaseEventKind.ClaimReviewed, CaseEventKind.ClaimReviewed,
            CaseEventKind.RetestRecorded, CaseEventKind.FixVerified]);
        (await NoticesAsync(Scenarios.Vendor, circular)).ShouldBe(4, "two reviews, the re-test and the verification");
        (await Fixture.Db(db => db.AuditEvents.CountAsync(e => e.EntityId == retestEvidence && e.Action == "EvidenceLinkedToClaim"))).ShouldBe(1);

        var (_, shown) = await vendor.GetPageAsync(page);
        shown.QuerySelector($"#claim-{claimId}")!.TextContent.ShouldContain("Verified");
    }

    [Fact]
    public async Task A_planned_relocation_later_completed_is_an_event_that_can_change_the_advice()
    {
        var (_, caseId) = await OpenCaseAsync("Vendor relocation");
        var vendor = await Fixture.SignedInAs(Scenarios.Vendor);
        var page = $"/vendor-cases/{caseId}";
        var claimId = await SubmitAsync(vendor, caseId, new()
        {
            ["DeviceModelId"] = (await ModelAsync("Redmi Note")).ToString(), ["Kind"] = nameof(RemediationKind.DataRelocation),
            ["RelocatedFrom"] = "cn", ["RelocatedTo"] = "IN", ["PlannedOn"] = "2026-06-01",
        });
        (await EventsAsync(caseId)).ShouldBe([CaseEventKind.ClaimSubmitted]);

        (await vendor.PostFormAsync($"{page}/claims/{claimId}/completed", new() { ["CompletedOn"] = "2026-01-15", ["Version"] = (await ClaimVersionAsync(claimId)).ToString() }, page))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var again = await vendor.PostFormAsync($"{page}/claims/{claimId}/completed", new() { ["CompletedOn"] = "2026-01-16", ["Version"] = (await ClaimVersionAsync(claimId)).ToString() }, page);
        again.StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        var claim = await Fixture.Db(db => db.RemediationClaims.AsNoTracking().SingleAsync(c => c.Id == claimId));
        (claim.RelocatedFrom, claim.RelocatedTo, claim.CompletedOn).ShouldBe(("CN", "IN", (DateOnly?)new DateOnly(2026, 1, 15)));
        (await EventsAsync(caseId)).ShouldBe([CaseEventKind.ClaimSubmitted, CaseEventKind.RelocationCompleted]);
        (await Fixture.Db(db => db.CaseEvents.Where(e => e.CaseId == caseId).Select(e => e.MakesStale).ToListAsync())).ShouldAllBe(stale => stale);
    }

    private async Task<PortalClient> SecondOfficerAsync()
    {
        const string email = "second.officer@portal.example";
        await using (var scope = Fixture.Factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            if (await users.FindByEmailAsync(email) is null)
            {
                var user = new PortalUser { UserName = email, Email = email, DisplayName = "Second Officer", EmailConfirmed = true };
                (await users.CreateAsync(user, DemoData.Password)).Succeeded.ShouldBeTrue();
                (await users.AddToRolesAsync(user, [Roles.SecurityOfficer])).Succeeded.ShouldBeTrue();
                await users.SetAuthenticationTokenAsync(user, "[AspNetUserStore]", "AuthenticatorKey", DemoData.AuthenticatorKey);
                (await users.SetTwoFactorEnabledAsync(user, true)).Succeeded.ShouldBeTrue();
            }
        }
        return await Fixture.SignedInAs(email);
    }
}
