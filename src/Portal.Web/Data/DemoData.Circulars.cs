using Microsoft.EntityFrameworkCore;
using Portal.Web.Domain;
using Portal.Web.Infrastructure.Localization;
using Portal.Web.Features.Circulars;

namespace Portal.Web.Data;

/// <summary>
/// The demo catalogue and the story of the product brief: the Redmi 1S circular, published and amended once
/// after the vendor's fix, and a second circular waiting for the approver. Circulars go through the same
/// intent methods and <see cref="Publication"/> as the pages, so reference numbers, revisions and the audit
/// chain are real. TACs are illustrative, not the models' allocated ones.
/// </summary>
public sealed partial class DemoData
{
    public const string PublishedCircularTitle = "Redmi 1S sends contacts, SMS and IMEI abroad";
    public const string CircularAwaitingApprovalTitle = "Mi 3 backs up photos and messages to servers abroad by default";

    private async Task CatalogueAsync(VendorOrganisation xiaomiVendor, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var xiaomi = await ManufacturerAsync("Xiaomi", ["Mi", "Redmi", "POCO"], xiaomiVendor.Id, ct);
        await ModelAsync(xiaomi, "Redmi 1S", ["2014011", "2014501"], ["86439602", "86439702"], ct,
            ("V5.7.4", today.AddDays(-90), "As sold; cloud messaging on by default."),
            ("V5.8.22", today.AddDays(-5), "Over-the-air update: cloud messaging made opt-in (vendor's statement)."));
        await ModelAsync(xiaomi, "Redmi Note", ["HM NOTE 1W"], ["86517402"], ct,
            ("V5.7.4", today.AddDays(-90), null), ("V5.8.22", today.AddDays(-5), "Cloud messaging made opt-in."));
        await ModelAsync(xiaomi, "Redmi Note 4G", ["HM NOTE 1LTE"], ["86517502"], ct,
            ("V5.8.22", today.AddDays(-5), "Cloud messaging made opt-in."));
        await ModelAsync(xiaomi, "Mi 3", ["MI 3W"], ["86295802"], ct);
        await ModelAsync(xiaomi, "Mi 4", ["MI 4W", "MI 4LTE"], ["86726102"], ct);

        var samsung = await ManufacturerAsync("Samsung", ["Samsung Electronics", "Galaxy"], null, ct);
        await ModelAsync(samsung, "Galaxy S5", ["SM-G900F", "SM-G900H"], ["35226806"], ct);
        await ModelAsync(samsung, "Galaxy Grand 2", ["SM-G7102"], ["35886605"], ct);

        var micromax = await ManufacturerAsync("Micromax", ["MMX"], null, ct);
        await ModelAsync(micromax, "Canvas Knight", ["A350"], ["91142304"], ct);
        await db.SaveChangesAsync(ct);
    }

    private async Task<Manufacturer> ManufacturerAsync(string name, string[] aliases, Guid? vendor, CancellationToken ct)
    {
        var existing = await db.Manufacturers.FirstOrDefaultAsync(m => m.Name == name, ct);
        if (existing is not null) return existing;
        var manufacturer = Manufacturer.Create(name, aliases, vendor, clock.GetUtcNow());
        db.Manufacturers.Add(manufacturer);
        return manufacturer;
    }

    private async Task ModelAsync(Manufacturer manufacturer, string name, string[] modelNumbers, string[] tacs, CancellationToken ct,
        params (string Version, DateOnly ReleasedOn, string? Notes)[] firmware)
    {
        if (await db.DeviceModels.AnyAsync(m => m.ManufacturerId == manufacturer.Id && m.MarketingName == name, ct)) return;
        var model = DeviceModel.Create(manufacturer.Id, name, modelNumbers, tacs, clock.GetUtcNow());
        db.DeviceModels.Add(model);
        foreach (var (version, releasedOn, notes) in firmware)
            db.FirmwareVersions.Add(FirmwareVersion.Create(model.Id, version, releasedOn, notes));
    }

    private async Task CircularsAsync(CancellationToken ct)
    {
        var officer = await users.FindByEmailAsync("officer@portal.example");
        var approver = await users.FindByEmailAsync("approver@portal.example");
        if (officer is null || approver is null) return;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (!await ExistsAsync(PublishedCircularTitle, ct))
            await PublishedAndAmendedAsync(officer.Id, approver.Id, ct);
        if (!await ExistsAsync(CircularAwaitingApprovalTitle, ct))
            await AwaitingApprovalAsync(officer.Id, ct);
        await tx.CommitAsync(ct);
    }

    private async Task<bool> ExistsAsync(string title, CancellationToken ct) =>
        await db.Circulars.AnyAsync(c => c.Text.Title == title, ct) || await db.CircularRevisions.AnyAsync(r => r.Text.Title == title, ct);

    private static readonly CircularText RedmiCircular = new(
        Title: PublishedCircularTitle,
        Severity: Severity.High,
        Tlp: TlpLabel.Clear,
        Summary: """
            Do not use the **Xiaomi Redmi 1S**, for any purpose. A lab test found it sending the carrier name, the phone
            number, the IMEI, contacts and text messages to servers abroad, without asking the user.

            **Redmi Note** handsets on firmware older than V5.8.22 are restricted: no official use until updated.
            """,
        Background: """
            At the request of the national CERT, which had received reports from other agencies (CERT advisory
            CIAD-2026-0042), our device lab tested a Redmi 1S bought in a shop, on firmware V5.7.4. With a new SIM card
            and no account signed in, the phone contacted servers abroad within minutes of its first start and sent:

            - the carrier name and the phone number;
            - the IMEI;
            - the contacts of the address book;
            - text messages (SMS).

            The traffic went to the vendor's cloud messaging service, which is on by default. The Redmi Note shares
            the firmware and showed the same traffic. The findings are in lab report LAB/2026/117.
            """,
        RiskAssessment: """
            **High.** The contact list of a staff member names other staff, their families and units; text messages
            carry one-time codes, duty rosters and places. Once abroad, the data is out of our reach, and with the
            IMEI a handset can be followed from one SIM card to the next. Everyone in the address book is exposed,
            whether or not they use this phone.
            """,
        Impact: """
            Names, numbers and relationships of staff and their families can be mapped; messages can reveal
            movements and duties.
            """,
        RequiredActions: """
            1. Stop using any Redmi 1S at once, for official and personal use, and switch it off.
            2. Register the handset in the portal so that it can be replaced.
            3. Redmi Note and Redmi Note 4G: update to firmware V5.8.22 or later before any official use; until then,
               personal use only.
            4. Change any password or code you received by SMS on these phones.
            5. Acknowledge this circular by the deadline.
            """,
        References: """
            - CERT advisory CIAD-2026-0042, *Data transmission by Redmi 1S handsets*
            - Device lab report LAB/2026/117
            """,
        AcknowledgementDeadline: default,
        IncludeFamilies: true,
        FamilySummary: """
            Please stop using any **Redmi 1S** phone. Tests showed that it sends your contacts, your text messages and
            details of the phone to computers in another country, without asking you. Switch it off and ask your family
            member in the service about a replacement.

            If you have a **Redmi Note**, update it first (Settings, About phone, System updates) and only then use it.
            """,
        InternalNotes: "Lab re-test to be booked once the vendor's over-the-air update is out. Procurement told: no Redmi handsets on the approved list.");

    private async Task PublishedAndAmendedAsync(Guid officer, Guid approver, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var drafted = now.AddDays(-21);
        var circular = Circular.Draft(RedmiCircular with { AcknowledgementDeadline = DateOnly.FromDateTime(now.UtcDateTime).AddDays(10) }, officer, drafted);
        db.Circulars.Add(circular);
        db.Audit(circular, "Drafted", officer, drafted);

        var xiaomi = await db.Manufacturers.SingleAsync(m => m.Name == "Xiaomi", ct);
        var redmi1S = await db.DeviceModels.SingleAsync(m => m.ManufacturerId == xiaomi.Id && m.MarketingName == "Redmi 1S", ct);
        var at = drafted.AddMinutes(20);
        await RuleAsync(circular, xiaomi.Id, redmi1S.Id, null, null, RuleAction.Banned,
            "Every firmware version: the lab found it sending data abroad.", officer, at, ct);
        await RuleAsync(circular, xiaomi.Id, null, "Redmi Note*", "V5.8.22", RuleAction.Restricted,
            "No official use until updated to V5.8.22 or later.", officer, at.AddMinutes(5), ct);
        var command = await db.Units.SingleAsync(u => u.Code == "AC", ct);
        circular.AddAudienceUnit(command.Id, officer, at.AddMinutes(10));
        db.Audit(circular, "AudienceUnitAdded", officer, at.AddMinutes(10), $"{command.Name} ({command.Code})");
        Source(circular, SourceKind.CertAdvisory, "CIAD-2026-0042", "Data transmission by Redmi 1S handsets",
            "https://cert.example/advisories/CIAD-2026-0042", officer, at.AddMinutes(15));
        Source(circular, SourceKind.LabReport, "LAB/2026/117", "Redmi 1S network traffic on first start, firmware V5.7.4", null, officer, at.AddMinutes(16));

        var submitted = drafted.AddDays(1);
        circular.Submit(officer, submitted);
        db.Audit(circular, "Submitted", officer, submitted);
        // Saved before publication, as the pages do: the circular and its revision point at each other.
        await db.SaveChangesAsync(ct);
        await ApproveAndPublishAsync(circular, approver, submitted.AddHours(3), ct);
        await db.SaveChangesAsync(ct);

        var amended = now.AddDays(-3);
        circular.StartAmendment(officer, amended);
        db.Audit(circular, "AmendmentStarted", officer, amended);
        circular.Revise(RedmiCircular with
        {
            AcknowledgementDeadline = circular.Text.AcknowledgementDeadline,
            Background = RedmiCircular.Background + """


                **Update (revision 2).** The vendor has released the over-the-air update V5.8.22, which makes cloud
                messaging opt-in and, the vendor states, stops the upload of contacts and text messages. The vendor also
                says that the data of users outside China is moving to data centres in Singapore and the United States.
                These claims are not verified yet: the ban on the Redmi 1S stays until the lab has re-tested a handset
                on V5.8.22.
                """,
            InternalNotes = RedmiCircular.InternalNotes + " Vendor statement received; re-test booked as LAB/2026/117-R1.",
        }, officer, amended.AddMinutes(30));
        Source(circular, SourceKind.VendorStatement, "XM-PSIRT-2026-08", "Statement on cloud messaging and data centres",
            "https://xiaomi.example/security/statements/2026-08", officer, amended.AddMinutes(35));
        const string change = "Noted the vendor's update V5.8.22 (cloud messaging made opt-in) and its data-centre move; the ban stays until the lab re-tests.";
        circular.Submit(officer, amended.AddHours(1), change, RevisionKind.Minor);
        db.Audit(circular, "AmendmentSubmitted", officer, amended.AddHours(1), $"{RevisionKind.Minor}: {change}");
        await ApproveAndPublishAsync(circular, approver, amended.AddDays(1), ct);
        await db.SaveChangesAsync(ct);
    }

    private async Task AwaitingApprovalAsync(Guid officer, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var drafted = now.AddDays(-2);
        var circular = Circular.Draft(new CircularText(
            Title: CircularAwaitingApprovalTitle,
            Severity: Severity.Medium,
            Tlp: TlpLabel.Green,
            Summary: """
                Staff using a **Xiaomi Mi 3** should turn cloud backup off. Once an account of the vendor is signed in,
                the phone backs up photos, messages and call logs to servers abroad unless the user says no. The Mi 3 is
                put under monitoring; it is not banned.
                """,
            Background: """
                Found while testing the Redmi 1S (lab report LAB/2026/131): the Mi 3 uploads nothing before an account
                is signed in, but signing in turns cloud backup on.
                """,
            RiskAssessment: "**Medium.** The upload needs the user to sign in to the vendor's account, and it can be turned off.",
            Impact: "Photos and messages taken on duty could end up stored abroad.",
            RequiredActions: """
                1. Open Settings, Mi Account, Mi Cloud, and turn backup and sync off.
                2. Register the handset in the portal.
                3. Acknowledge this circular.
                """,
            References: "- Device lab report LAB/2026/131",
            AcknowledgementDeadline: DateOnly.FromDateTime(now.UtcDateTime).AddDays(21),
            InternalNotes: "Second finding of the Redmi 1S investigation; ask the vendor whether backup can default to off."), officer, drafted);
        db.Circulars.Add(circular);
        db.Audit(circular, "Drafted", officer, drafted);

        var xiaomi = await db.Manufacturers.SingleAsync(m => m.Name == "Xiaomi", ct);
        var mi3 = await db.DeviceModels.SingleAsync(m => m.ManufacturerId == xiaomi.Id && m.MarketingName == "Mi 3", ct);
        await RuleAsync(circular, xiaomi.Id, mi3.Id, null, null, RuleAction.Monitor, "Cloud backup must be off.", officer, drafted.AddMinutes(10), ct);
        var wing = await db.Units.SingleAsync(u => u.Code == "W1", ct);
        circular.AddAudienceUnit(wing.Id, officer, drafted.AddMinutes(12));
        db.Audit(circular, "AudienceUnitAdded", officer, drafted.AddMinutes(12), $"{wing.Name} ({wing.Code})");
        Source(circular, SourceKind.LabReport, "LAB/2026/131", "Mi 3 cloud backup after account sign-in", null, officer, drafted.AddMinutes(14));

        var submitted = now.AddDays(-1);
        circular.Submit(officer, submitted);
        db.Audit(circular, "Submitted", officer, submitted);
        await db.SaveChangesAsync(ct);
    }

    private async Task RuleAsync(Circular circular, Guid manufacturerId, Guid? modelId, string? pattern, string? firmwareBelow,
        RuleAction action, string note, Guid officer, DateTimeOffset at, CancellationToken ct)
    {
        var rule = circular.AddRule(manufacturerId, modelId, pattern, [], firmwareBelow, action, note, officer, at);
        db.Audit(circular, "RuleAdded", officer, at, (await RuleNames.ForAsync(db, [rule], ct)).Describe(rule));
    }

    private void Source(Circular circular, SourceKind kind, string identifier, string title, string? url, Guid officer, DateTimeOffset at)
    {
        var source = circular.AddSource(kind, identifier, title, url, officer, at);
        db.Audit(circular, "SourceAdded", officer, at, $"{source.Kind.Words()} {source.Identifier}");
    }

    private async Task ApproveAndPublishAsync(Circular circular, Guid approver, DateTimeOffset at, CancellationToken ct)
    {
        if (!circular.Approve(approver, at, publishAt: null))
            throw new InvalidOperationException("Demo data: the approval should publish at once.");
        db.Audit(circular, "Approved", approver, at);
        await publication.PublishAsync(circular, approver, at, ct);
    }
}
