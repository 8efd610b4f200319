using Microsoft.EntityFrameworkCore;
using Portal.Web.Domain;

namespace Portal.Web.Data;

public sealed partial class DemoData
{
    /// <summary>Xiaomi's answer on the demo circular's case: a public statement and an over-the-air firmware claim, so the case pages show something.</summary>
    private async Task VendorResponsesAsync(CancellationToken ct)
    {
        var vendorCase = await db.VendorCases.Include(c => c.Models)
            .Where(c => db.Circulars.Any(x => x.Id == c.CircularId && x.CurrentRevision!.Text.Title == PublishedCircularTitle))
            .FirstOrDefaultAsync(ct);
        var vendorUser = await users.FindByEmailAsync("vendor@xiaomi.example");
        if (vendorCase is null || vendorUser is null || vendorCase.Models.Count == 0
            || await db.CaseStatements.AnyAsync(s => s.CaseId == vendorCase.Id, ct))
            return;
        var now = clock.GetUtcNow();
        var model = vendorCase.Models.OrderBy(m => m.MarketingName).First();
        var statement = CaseStatement.Post(vendorCase.Id,
            "Xiaomi has stopped the forwarding of contacts and SMS in MIUI 6.0.10, released over the air; cloud messaging is now opt-in.",
            isPublic: true, vendorUser.Id, now);
        db.CaseStatements.Add(statement);
        db.CaseEvents.Add(CaseEvent.Record(vendorCase, CaseEventKind.Statement, statement.Id, vendorUser.Id, now, "Public statement: " + statement.Text));
        var claim = RemediationClaim.Submit(vendorCase.Id, model.DeviceModelId, RemediationKind.FirmwareUpdate,
            "Over-the-air update: cloud messaging opt-in, no upload of contacts or SMS without consent.",
            "6.0.10", new DateOnly(2026, 2, 10), "https://www.mi.com/global/support/", null, null, null, null, vendorUser.Id, now);
        db.RemediationClaims.Add(claim);
        db.CaseEvents.Add(CaseEvent.Record(vendorCase, CaseEventKind.ClaimSubmitted, claim.Id, vendorUser.Id, now,
            $"Firmware {claim.FirmwareVersion} claimed for {model.MarketingName}"));
        await db.SaveChangesAsync(ct);
    }
}
