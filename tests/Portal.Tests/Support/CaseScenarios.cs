using Portal.Web.Domain;

namespace Portal.Tests.Support;

/// <summary>
/// A vendor's answers and the officers' review arranged through the domain's own factories (the pages that make
/// them belong to the vendor-side work), each with the case event the real commands write beside it.
/// </summary>
public static class CaseScenarios
{
    public const string Vendor = "Xiaomi";
    public const string Model = "Redmi Note";

    /// <summary>Published naming Xiaomi's Redmi Note (and a scenario model of no vendor): one case, for Xiaomi.</summary>
    public static async Task<(Guid CircularId, Guid CaseId)> PublishedNamingXiaomiAsync(this PortalFixture fixture, string title, string model = Model)
    {
        var officer = await fixture.SignedInAs(Scenarios.Officer);
        var approver = await fixture.SignedInAs(Scenarios.Approver);
        var id = await fixture.DraftAsync(officer, title);
        await fixture.MakePublishableAsync(id);
        var xiaomi = (await fixture.ManufacturerIdAsync(Vendor))!.Value;
        var modelId = (await fixture.ModelIdAsync(Vendor, model))!.Value;
        var rule = await fixture.TransitionAsync(officer, id, "rules", new()
            { ["ManufacturerId"] = xiaomi.ToString(), ["DeviceModelId"] = modelId.ToString(), ["Action"] = nameof(RuleAction.Banned) });
        rule.StatusCode.ShouldBe(HttpStatusCode.Redirect, await rule.Content.ReadAsStringAsync());
        (await fixture.TransitionAsync(officer, id, "submit")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var approved = await fixture.TransitionAsync(approver, id, "approve");
        approved.StatusCode.ShouldBe(HttpStatusCode.Redirect, await approved.Content.ReadAsStringAsync());
        var caseId = await fixture.Db(db => db.VendorCases.Where(c => c.CircularId == id).Select(c => c.Id).SingleAsync());
        return (id, caseId);
    }

    public static Task<Guid> UserIdAsync(this PortalFixture fixture, string email) =>
        fixture.Db(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());

    public static async Task<Guid> CaseEventAsync(this PortalFixture fixture, Guid caseId, CaseEventKind kind, string summary, Guid? subject = null, string by = Scenarios.Vendor)
    {
        var user = await fixture.UserIdAsync(by);
        return await fixture.Db(async db =>
        {
            var vendorCase = await db.VendorCases.SingleAsync(c => c.Id == caseId);
            var e = CaseEvent.Record(vendorCase, kind, subject, user, fixture.Factory.Clock.GetUtcNow(), summary);
            db.CaseEvents.Add(e);
            await db.SaveChangesAsync();
            return e.Id;
        });
    }

    public static async Task<Guid> StatementAsync(this PortalFixture fixture, Guid caseId, string text, bool isPublic)
    {
        var vendor = await fixture.UserIdAsync(Scenarios.Vendor);
        var id = await fixture.Db(async db =>
        {
            var statement = CaseStatement.Post(caseId, text, isPublic, vendor, fixture.Factory.Clock.GetUtcNow());
            db.CaseStatements.Add(statement);
            await db.SaveChangesAsync();
            return statement.Id;
        });
        await fixture.CaseEventAsync(caseId, CaseEventKind.Statement, $"Statement: {text}", id);
        return id;
    }

    public static async Task SetModelStatusAsync(this PortalFixture fixture, Guid caseId, string model, ModelStatus status) =>
        await fixture.Db(async db =>
        {
            var vendorCase = await db.VendorCases.Include(c => c.Models).SingleAsync(c => c.Id == caseId);
            vendorCase.SetStatusByVendor(vendorCase.Models.Single(m => m.MarketingName == model).DeviceModelId, status, fixture.Factory.Clock.GetUtcNow());
            await db.SaveChangesAsync();
            return true;
        });

    /// <summary>
    /// The vendor claims a remediation; an officer accepts it; when <paramref name="verify"/>, the officer records the lab's
    /// re-test and a second officer (the approver here) verifies it, which makes the model FixVerified.
    /// </summary>
    public static async Task<Guid> ClaimAsync(this PortalFixture fixture, Guid circularId, Guid caseId, RemediationKind kind, string description,
        string? firmware = null, string? link = null, DateOnly? released = null, string? from = null, string? to = null, bool verify = true, string model = Model)
    {
        var vendor = await fixture.UserIdAsync(Scenarios.Vendor);
        var officer = await fixture.UserIdAsync(Scenarios.Officer);
        var second = await fixture.UserIdAsync(Scenarios.Approver);
        var now = fixture.Factory.Clock.GetUtcNow();
        var claimId = await fixture.Db(async db =>
        {
            var modelId = await db.VendorCaseModels.Where(m => m.CaseId == caseId && m.MarketingName == model).Select(m => m.DeviceModelId).SingleAsync();
            var claim = RemediationClaim.Submit(caseId, modelId, kind, description, firmware, released, link, from, to, null,
                kind == RemediationKind.DataRelocation ? released : null, vendor, now);
            db.RemediationClaims.Add(claim);
            await db.SaveChangesAsync();
            return claim.Id;
        });
        await fixture.CaseEventAsync(caseId, CaseEventKind.ClaimSubmitted, $"{kind} claimed for {model}: {description}", claimId);
        await fixture.Db(async db =>
        {
            var claim = await db.RemediationClaims.SingleAsync(c => c.Id == claimId);
            claim.Review(ClaimStatus.PendingVerification, null, officer, now);
            if (verify)
            {
                var retest = EvidenceRecord.Record(circularId, $"Re-test of {model} {firmware}", "Lab One", DateOnly.FromDateTime(now.UtcDateTime), model, firmware, "Traffic capture", officer, now);
                db.Evidence.Add(retest);
                await db.SaveChangesAsync();
                claim.RecordRetest(retest.Id, officer);
                claim.Verify(second, now);
                var vendorCase = await db.VendorCases.Include(c => c.Models).SingleAsync(c => c.Id == caseId);
                vendorCase.MarkFixVerified(claim.DeviceModelId, now);
            }
            await db.SaveChangesAsync();
            return true;
        });
        if (verify)
            await fixture.CaseEventAsync(caseId, CaseEventKind.FixVerified, $"Fix verified for {model}: {description}", claimId, Scenarios.Approver);
        return claimId;
    }

    public static Task<List<CaseEvent>> CaseEventsAsync(this PortalFixture fixture, Guid circularId) =>
        fixture.Db(db => db.CaseEvents.AsNoTracking().Where(e => e.CircularId == circularId).OrderBy(e => e.OccurredAt).ToListAsync());
}
