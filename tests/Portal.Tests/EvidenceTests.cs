using System.Security.Cryptography;
using Npgsql;
using Portal.Web.Domain;
using Portal.Web.Features.Evidence;
using Portal.Web.Infrastructure.Storage;

namespace Portal.Tests;

public sealed class EvidenceTests(EvidenceFixture evidence) : IClassFixture<EvidenceFixture>
{
    private PortalFixture Fixture => evidence.Portal;

    private async Task<(PortalClient Officer, Guid Circular, Guid Evidence)> DraftWithEvidenceAsync(string title)
    {
        var officer = await Fixture.SignedInAs(Scenarios.Officer);
        var id = await Fixture.DraftAsync(officer, title);
        return (officer, id, await Fixture.RecordEvidenceAsync(officer, id));
    }

    private Task<List<string>> CustodyAsync(Guid evidenceId) =>
        Fixture.Db(db => db.AuditEvents.Where(e => e.EntityType == nameof(EvidenceRecord) && e.EntityId == evidenceId)
            .OrderBy(e => e.ChainPosition).Select(e => e.Action).ToListAsync());

    private Task<List<EvidenceFile>> FilesAsync(Guid evidenceId) =>
        Fixture.Db(db => db.EvidenceFiles.AsNoTracking().Where(f => f.EvidenceId == evidenceId).ToListAsync());

    [Fact]
    public async Task An_uploaded_pdf_is_stored_under_its_SHA_256_with_its_type_from_its_content_and_a_custody_entry()
    {
        var (officer, id, evidenceId) = await DraftWithEvidenceAsync("Evidence upload");

        var response = await Fixture.UploadAsync(officer, id, evidenceId, EvidenceScenarios.Pdf, "LAB-2026-117.pdf");

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        var file = (await FilesAsync(evidenceId)).ShouldHaveSingleItem();
        var sha = Convert.ToHexStringLower(SHA256.HashData(EvidenceScenarios.Pdf));
        file.Sha256.ShouldBe(sha);
        file.Length.ShouldBe(EvidenceScenarios.Pdf.Length);
        file.ContentType.ShouldBe("application/pdf");
        file.FileName.ShouldBe("LAB-2026-117.pdf");
        (await File.ReadAllBytesAsync(evidence.StoredPath(sha))).ShouldBe(EvidenceScenarios.Pdf);
        evidence.Incoming().ShouldBeEmpty();
        (await CustodyAsync(evidenceId)).ShouldBe(["EvidenceRecorded", "EvidenceFileUploaded"]);

        var (_, page) = await officer.GetPageAsync($"/circulars/{id}/evidence/{evidenceId}");
        page.QuerySelector("code.hash")!.TextContent.ShouldBe(sha);
        (await CustodyAsync(evidenceId)).ShouldBe(["EvidenceRecorded", "EvidenceFileUploaded", "EvidenceViewed"]);
    }

    [Theory]
    [InlineData("exe", "This file looks like a Windows program, whatever its name says.")]
    [InlineData("elf", "This file looks like a Linux program, whatever its name says.")]
    [InlineData("html", "This file looks like HTML or XML, whatever its name says.")]
    [InlineData("empty", "The file is empty.")]
    [InlineData("large", "The file is larger than the limit of 1 MB.")]
    public async Task A_file_that_is_not_evidence_is_refused_on_the_same_page_and_nothing_is_kept(string kind, string message)
    {
        var (officer, id, evidenceId) = await DraftWithEvidenceAsync("Refused upload " + kind);
        byte[] bytes = kind switch
        {
            "exe" => [0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, .. new byte[500]],
            "elf" => [0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, .. new byte[500]],
            "html" => "<html><script>alert(1)</script></html>"u8.ToArray(),
            "empty" => [],
            _ => [.. EvidenceScenarios.Pdf, .. new byte[(1 << 20) + 1 - EvidenceScenarios.Pdf.Length]],
        };

        var response = await Fixture.UploadAsync(officer, id, evidenceId, bytes, "report.pdf");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var page = await response.PageAsync();
        page.Errors().ShouldHaveSingleItem().ShouldStartWith(message);
        page.QuerySelector("h1")!.TextContent.ShouldBe("LAB/2026/117 network capture", "the evidence page is shown again around the message");
        (await FilesAsync(evidenceId)).ShouldBeEmpty();
        evidence.Incoming().ShouldBeEmpty();
        (await CustodyAsync(evidenceId)).ShouldBe(["EvidenceRecorded"]);
    }

    [Fact]
    public async Task The_size_limit_is_100_MB_unless_configured()
    {
        new EvidenceOptions().MaxFileBytes.ShouldBe(100L * 1024 * 1024);
        var (officer, id, evidenceId) = await DraftWithEvidenceAsync("Exactly at the limit");

        var atLimit = await Fixture.UploadAsync(officer, id, evidenceId, [.. EvidenceScenarios.Pdf, .. new byte[(1 << 20) - EvidenceScenarios.Pdf.Length]], "limit.pdf");

        atLimit.StatusCode.ShouldBe(HttpStatusCode.Redirect, "a file of exactly the limit is accepted");
    }

    [Fact]
    public async Task Names_with_folders_control_characters_or_great_length_are_cleaned()
    {
        var (officer, id, evidenceId) = await DraftWithEvidenceAsync("Odd names");

        (await Fixture.UploadAsync(officer, id, evidenceId, EvidenceScenarios.Pdf, "../../etc/pass\u0007wd.pdf")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await Fixture.UploadAsync(officer, id, evidenceId, "{\"host\": \"data.example.cn\"}"u8.ToArray(), new string('a', 300) + ".json")).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var names = (await FilesAsync(evidenceId)).OrderBy(f => f.UploadedAt).Select(f => f.FileName).ToList();
        names[0].ShouldBe("passwd.pdf");
        names[1].Length.ShouldBe(FileNames.MaxLength);
        names[1].ShouldEndWith(".json");
        FileNames.Clean("..").ShouldBe("evidence");
        FileNames.Clean("C:\\Users\\lab\\capture\u202Egnp.pcap").ShouldBe("capturegnp.pcap");
    }

    [Fact]
    public async Task An_upload_without_the_antiforgery_token_or_without_a_file_is_refused()
    {
        var (officer, id, evidenceId) = await DraftWithEvidenceAsync("Forged upload");

        var forged = await Fixture.UploadAsync(officer, id, evidenceId, EvidenceScenarios.Pdf, "x.pdf", withToken: false);

        forged.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await forged.PageAsync()).QuerySelector("h1")!.TextContent.ShouldBe("The request could not be accepted");
        (await FilesAsync(evidenceId)).ShouldBeEmpty();
        evidence.Incoming().ShouldBeEmpty();

        using var empty = new MultipartFormDataContent
        {
            { new StringContent(await officer.AntiforgeryTokenAsync($"/circulars/{id}")), "__RequestVerificationToken" },
            { new StringContent((await Fixture.EvidenceVersionAsync(evidenceId)).ToString()), "Version" },
        };
        var nothing = new ByteArrayContent([]);
        nothing.Headers.TryAddWithoutValidation("Content-Disposition", "form-data; name=\"File\"; filename=\"\"");
        empty.Add(nothing);
        var noFile = await officer.Http.PostAsync($"/circulars/{id}/evidence/{evidenceId}/files", empty);
        noFile.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await noFile.PageAsync()).Errors().ShouldBe(["Choose a file to upload."]);

        var elsewhere = await Fixture.UploadAsync(officer, id, evidenceId, EvidenceScenarios.Pdf, "x.pdf");
        elsewhere.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var unknown = await officer.Http.PostAsync($"/circulars/{id}/evidence/{Guid.NewGuid()}/files", await FormAsync(officer, id, evidenceId));
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await FilesAsync(evidenceId)).Count.ShouldBe(1);
        evidence.Incoming().ShouldBeEmpty();
    }

    private async Task<MultipartFormDataContent> FormAsync(PortalClient officer, Guid id, Guid evidenceId) => new()
    {
        { new StringContent(await officer.AntiforgeryTokenAsync($"/circulars/{id}")), "__RequestVerificationToken" },
        { new StringContent((await Fixture.EvidenceVersionAsync(evidenceId)).ToString()), "Version" },
        { new ByteArrayContent("%PDF-1.4 another"u8.ToArray()), "File", "other.pdf" },
    };

    [Fact]
    public async Task An_interrupted_upload_leaves_nothing_behind()
    {
        var store = Fixture.Factory.Services.GetRequiredService<ContentStore>();
        var before = Directory.Exists(Path.Combine(evidence.Storage, "sha256")) ? Directory.EnumerateFiles(Path.Combine(evidence.Storage, "sha256"), "*", SearchOption.AllDirectories).Count() : 0;

        await Should.ThrowAsync<IOException>(() => store.ReceiveAsync(new BrokenStream(EvidenceScenarios.Pdf), 1 << 20, "File", CancellationToken.None));

        evidence.Incoming().ShouldBeEmpty();
        var after = Directory.Exists(Path.Combine(evidence.Storage, "sha256")) ? Directory.EnumerateFiles(Path.Combine(evidence.Storage, "sha256"), "*", SearchOption.AllDirectories).Count() : 0;
        after.ShouldBe(before);
    }

    [Fact]
    public async Task A_file_of_several_pieces_with_a_short_last_one_is_stored_byte_for_byte_under_its_SHA_256()
    {
        var store = Fixture.Factory.Services.GetRequiredService<ContentStore>();
        // Three and a half one-megabyte pieces and an odd tail: direct writes for the whole pieces, the page cache for the rest.
        var bytes = new byte[(7 << 19) + 123];
        new Random(11).NextBytes(bytes);
        EvidenceScenarios.Pdf.CopyTo(bytes, 0);

        using (var received = await store.ReceiveAsync(new TrickleStream(bytes), 8 << 20, "File", CancellationToken.None))
        {
            received.Sha256.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(bytes)));
            received.Length.ShouldBe(bytes.Length);
            received.Keep();
        }

        await using var stored = store.OpenRead(Convert.ToHexStringLower(SHA256.HashData(bytes)));
        stored.Length.ShouldBe(bytes.Length);
        using var copy = new MemoryStream();
        await stored.CopyToAsync(copy);
        copy.ToArray().SequenceEqual(bytes).ShouldBeTrue();
        evidence.Incoming().ShouldBeEmpty();
    }

    [Fact]
    public async Task An_upload_interrupted_after_pieces_were_written_leaves_nothing_behind()
    {
        var store = Fixture.Factory.Services.GetRequiredService<ContentStore>();
        var bytes = new byte[5 << 20];
        EvidenceScenarios.Pdf.CopyTo(bytes, 0);

        await Should.ThrowAsync<IOException>(() => store.ReceiveAsync(new BrokenStream(bytes), 8 << 20, "File", CancellationToken.None));

        evidence.Incoming().ShouldBeEmpty();
    }

    [Fact]
    public void Direct_writes_report_what_the_file_system_was_told()
    {
        var path = Path.Combine(evidence.Storage, $"direct-{Guid.NewGuid():N}");
        try
        {
            using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0))
            {
                var writer = new DirectWriter(file.SafeFileHandle);
                var piece = DirectWriter.AlignedBuffer(DirectWriter.Alignment * 2);
                piece.Span.Fill(7);

                writer.Write(piece.Span);
                OpenedDirect(file).ShouldBe(writer.Direct);
                writer.Write(piece.Span[..100]);

                writer.Direct.ShouldBeFalse("a piece that is not a whole number of blocks goes through the page cache");
                OpenedDirect(file).ShouldBeFalse();
                file.Flush(flushToDisk: true);
            }
            File.ReadAllBytes(path).ShouldBe(Enumerable.Repeat((byte)7, DirectWriter.Alignment * 2 + 100).ToArray());
        }
        finally
        {
            File.Delete(path);
        }

        // O_DIRECT is 040000 (octal) in /proc/self/fdinfo's flags on x64 and 0200000 on arm64; elsewhere nothing is claimed.
        static bool OpenedDirect(FileStream file)
        {
            var fdinfo = $"/proc/self/fdinfo/{file.SafeFileHandle.DangerousGetHandle()}";
            if (!File.Exists(fdinfo))
                return false;
            var flags = Convert.ToInt64(File.ReadLines(fdinfo).First(l => l.StartsWith("flags:", StringComparison.Ordinal))[6..].Trim(), 8);
            var direct = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture
                is System.Runtime.InteropServices.Architecture.Arm64 or System.Runtime.InteropServices.Architecture.Arm ? 0x10000 : 0x4000;
            return (flags & direct) != 0;
        }
    }

    [Fact]
    public void A_kept_files_directory_entries_are_flushed_and_a_missing_directory_is_reported()
    {
        // Where the flush cannot be asked (not Linux) nothing is claimed: the rename stands as the system keeps it.
        DirectoryEntries.Sync(evidence.Storage).ShouldBe(OperatingSystem.IsLinux());
        DirectoryEntries.Sync(Path.Combine(evidence.Storage, $"missing-{Guid.NewGuid():N}")).ShouldBeFalse();
    }

    [Fact]
    public async Task Findings_name_a_destination_and_an_ISO_3166_country_and_a_refusal_keeps_what_was_typed()
    {
        var (officer, id, evidenceId) = await DraftWithEvidenceAsync("Findings");

        var bad = await Fixture.AddFindingAsync(officer, id, evidenceId, EvidenceScenarios.Finding(DataCategory.Contacts, "collect.example.cn", "XX"));
        var neither = await Fixture.AddFindingAsync(officer, id, evidenceId, EvidenceScenarios.Finding(DataCategory.Sms, "", "CN"));
        var badIp = await Fixture.AddFindingAsync(officer, id, evidenceId, EvidenceScenarios.Finding(DataCategory.Sms, "", "CN", ip: "1.2"));
        var good = await Fixture.AddFindingAsync(officer, id, evidenceId, EvidenceScenarios.Finding(DataCategory.Contacts, "Collect.Example.CN.", "cn", ip: "203.0.113.7"));

        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var page = await bad.PageAsync();
        page.Errors().ShouldBe(["\"XX\" is not an ISO 3166 country code: use two letters, such as CN, SG or IN."]);
        page.FieldValue("Host").ShouldBe("collect.example.cn");
        page.FieldValue("Country").ShouldBe("XX");
        (await neither.PageAsync()).Errors().ShouldBe(["Give the destination's host name, its IP address, or both."]);
        (await badIp.PageAsync()).Errors().ShouldBe(["Give an IP address such as 203.0.113.7 or 2001:db8::7, or leave it empty and give the host name."]);
        good.StatusCode.ShouldBe(HttpStatusCode.Redirect, await good.Content.ReadAsStringAsync());
        var finding = (await Fixture.Db(db => db.Findings.AsNoTracking().Where(f => f.EvidenceId == evidenceId).ToListAsync())).ShouldHaveSingleItem();
        (finding.Category, finding.Host, finding.IpAddress, finding.Country).ShouldBe((DataCategory.Contacts, "collect.example.cn", "203.0.113.7", "CN"));
    }

    [Fact]
    public async Task A_missing_lab_or_date_is_refused_with_the_typed_text_kept()
    {
        var officer = await Fixture.SignedInAs(Scenarios.Officer);
        var id = await Fixture.DraftAsync(officer, "Incomplete evidence");

        var response = await officer.PostFormAsync($"/circulars/{id}/evidence/new", new() { ["Title"] = "Capture of first start", ["Lab"] = "", ["TestedOn"] = "" });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var page = await response.PageAsync();
        page.Errors().ShouldBe(["Name the lab that did the test.", "Give the date of the test.", "Name the device tested (model and model number)."]);
        page.FieldValue("Title").ShouldBe("Capture of first start");
        (await Fixture.Db(db => db.Evidence.CountAsync(e => e.CircularId == id))).ShouldBe(0);
    }

    [Fact]
    public async Task Published_evidence_is_cited_immutable_and_listed_with_its_hash_and_can_only_be_superseded()
    {
        var officer = await Fixture.SignedInAs(Scenarios.Officer);
        var id = await Fixture.DraftAsync(officer, "Cited evidence");
        var evidenceId = await Fixture.RecordEvidenceAsync(officer, id);
        (await Fixture.UploadAsync(officer, id, evidenceId, EvidenceScenarios.Pdf, "report.pdf")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        await PublishAsync(id);

        (await Fixture.Db(db => db.Evidence.Where(e => e.Id == evidenceId).Select(e => e.CitedFromRevision).SingleAsync())).ShouldBe(1);
        var (_, revision) = await officer.GetPageAsync($"/circulars/{id}/revisions/1");
        revision.QuerySelector("#evidence-title")!.TextContent.ShouldBe("Evidence cited by revision 1");
        revision.QuerySelector("code.hash")!.TextContent.ShouldBe(Convert.ToHexStringLower(SHA256.HashData(EvidenceScenarios.Pdf)));

        (await Fixture.TransitionAsync(officer, id, "amend")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var upload = await Fixture.UploadAsync(officer, id, evidenceId, "plain text notes"u8.ToArray(), "notes.txt");
        upload.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await upload.PageAsync()).Errors().ShouldBe(["This evidence is cited by published revision 1 and cannot change: mark it superseded and record new evidence instead."]);
        var file = (await FilesAsync(evidenceId)).ShouldHaveSingleItem();
        var delete = await Should.ThrowAsync<PostgresException>(() => Fixture.Db(db => db.Database.ExecuteSqlAsync($"DELETE FROM evidence_files WHERE id = {file.Id}")));
        delete.SqlState.ShouldBe(PostgresErrorCodes.RestrictViolation);

        var supersede = await officer.PostFormAsync($"/circulars/{id}/evidence/{evidenceId}/supersede",
            new() { ["Version"] = (await Fixture.EvidenceVersionAsync(evidenceId)).ToString(), ["Reason"] = "Re-tested on firmware V6.1.2." }, $"/circulars/{id}");
        supersede.StatusCode.ShouldBe(HttpStatusCode.Redirect, await supersede.Content.ReadAsStringAsync());
        var retest = await Fixture.RecordEvidenceAsync(officer, id, "LAB/2026/140 re-test");
        await AmendAndApproveAsync(id);

        var cited = await Fixture.Db(db => db.CitedEvidence.Where(c => db.CircularRevisions.Any(r => r.Id == c.RevisionId && r.CircularId == id && r.Number == 2))
            .Select(c => c.EvidenceId).ToListAsync());
        cited.ShouldBe([retest], "the second revision cites the re-test, not the superseded evidence");
        (await CustodyAsync(evidenceId)).ShouldContain("EvidenceSuperseded");
    }

    [Fact]
    public async Task Evidence_of_a_circular_awaiting_approval_cannot_be_recorded()
    {
        var officer = await Fixture.SignedInAs(Scenarios.Officer);
        var id = await Fixture.DraftAsync(officer, "In review");
        await Fixture.MakePublishableAsync(id);
        (await Fixture.TransitionAsync(officer, id, "submit")).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var response = await officer.PostFormAsync($"/circulars/{id}/evidence/new", new()
            { ["Title"] = "Late", ["Lab"] = "Lab", ["TestedOn"] = "2026-03-02", ["DeviceTested"] = "Redmi 1S" });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.PageAsync()).Errors().ShouldBe(["Only a draft can be edited; this circular is awaiting approval."]);
        (await response.PageAsync()).FieldValue("Title").ShouldBe("Late");
    }

    [Fact]
    public async Task Downloads_go_to_those_who_may_read_the_circular_and_to_vendors_only_when_shared_always_as_attachments()
    {
        var officer = await Fixture.SignedInAs(Scenarios.Officer);
        var id = await Fixture.DraftAsync(officer, "Downloads");
        await Fixture.MakePublishableAsync(id);
        await NameXiaomiAsync(officer, id);
        var evidenceId = await Fixture.RecordEvidenceAsync(officer, id);
        (await Fixture.UploadAsync(officer, id, evidenceId, EvidenceScenarios.Pdf, "report.pdf")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var fileId = (await FilesAsync(evidenceId)).Single().Id;
        var url = $"/circulars/{id}/evidence/{evidenceId}/files/{fileId}";
        var staff = await Fixture.SignedInAs(Scenarios.Staff);
        var vendor = await Fixture.SignedInAs(Scenarios.Vendor);
        var approver = await Fixture.SignedInAs(Scenarios.Approver);
        var auditor = await Fixture.SignedInAs(Scenarios.Auditor);

        (await staff.Http.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.NotFound, "a draft's evidence is for officers and approvers");
        (await approver.Http.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await Fixture.TransitionAsync(officer, id, "submit")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await Fixture.TransitionAsync(approver, id, "approve")).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var download = await staff.Http.GetAsync(url);
        download.StatusCode.ShouldBe(HttpStatusCode.OK);
        download.Content.Headers.ContentDisposition!.DispositionType.ShouldBe("attachment");
        download.Content.Headers.ContentDisposition.FileName!.Trim('"').ShouldBe("report.pdf");
        download.Headers.GetValues("X-Content-Type-Options").ShouldBe(["nosniff"]);
        (await download.Content.ReadAsByteArrayAsync()).ShouldBe(EvidenceScenarios.Pdf);
        (await auditor.Http.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await vendor.Http.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.NotFound, "not shared with the vendor yet");
        (await vendor.Http.GetAsync($"/circulars/{id}/evidence/{evidenceId}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await vendor.Http.GetAsync($"/circulars/{id}/evidence/{evidenceId}/files/{Guid.NewGuid()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var xiaomi = await Fixture.Db(db => db.VendorOrganisations.Where(v => v.Name == "Xiaomi").Select(v => v.Id).SingleAsync());
        var shared = await officer.PostFormAsync($"/circulars/{id}/evidence/{evidenceId}/sharing",
            new() { ["Version"] = (await Fixture.EvidenceVersionAsync(evidenceId)).ToString(), ["VendorIds"] = xiaomi.ToString() }, $"/circulars/{id}");
        shared.StatusCode.ShouldBe(HttpStatusCode.Redirect, await shared.Content.ReadAsStringAsync());

        (await vendor.Http.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await vendor.Http.GetAsync($"/circulars/{id}/evidence/{evidenceId}/files/{fileId}".Replace(id.ToString(), Guid.NewGuid().ToString()))).StatusCode
            .ShouldBe(HttpStatusCode.NotFound, "the file is reached only through its own circular");
        var (vendorPage, page) = await vendor.GetPageAsync($"/circulars/{id}/evidence/{evidenceId}");
        vendorPage.StatusCode.ShouldBe(HttpStatusCode.OK);
        page.QuerySelector("#custody-title").ShouldBeNull("the custody log is for the organisation");
        page.QuerySelector("form[action$='/findings']").ShouldBeNull();

        var custody = await CustodyAsync(evidenceId);
        custody.Count(a => a == "EvidenceFileDownloaded").ShouldBe(4, "approver, staff, auditor and vendor downloads; refused ones leave none");
        custody.ShouldContain("EvidenceSharingChanged");
        (await vendor.PostFormAsync($"/circulars/{id}/evidence/{evidenceId}/supersede", new() { ["Reason"] = "x" }, $"/circulars/{id}")).StatusCode
            .ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_circular_page_lists_the_evidence_each_reader_may_see_read_with_the_pages_lists_and_in_order()
    {
        var officer = await Fixture.SignedInAs(Scenarios.Officer);
        var approver = await Fixture.SignedInAs(Scenarios.Approver);
        var id = await Fixture.DraftAsync(officer, "Evidence in the batch");
        await Fixture.MakePublishableAsync(id);
        await NameXiaomiAsync(officer, id);
        var shared = await Fixture.RecordEvidenceAsync(officer, id, "LAB/2026/201 shared with the vendor");
        var kept = await Fixture.RecordEvidenceAsync(officer, id, "LAB/2026/202 kept in the organisation");
        (await Fixture.UploadAsync(officer, id, kept, EvidenceScenarios.Pdf, "capture.pdf")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var xiaomi = await Fixture.Db(db => db.VendorOrganisations.Where(v => v.Name == "Xiaomi").Select(v => v.Id).SingleAsync());
        (await officer.PostFormAsync($"/circulars/{id}/evidence/{shared}/sharing",
            new() { ["Version"] = (await Fixture.EvidenceVersionAsync(shared)).ToString(), ["VendorIds"] = xiaomi.ToString() }, $"/circulars/{id}"))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await Fixture.TransitionAsync(officer, id, "submit")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await Fixture.TransitionAsync(approver, id, "approve")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await Fixture.TransitionAsync(officer, id, "amend")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var unpublished = await Fixture.RecordEvidenceAsync(officer, id, "LAB/2026/203 recorded during the amendment");

        var expected = new Dictionary<string, Guid[]>
        {
            [Scenarios.Staff] = [shared, kept], [Scenarios.Commander] = [shared, kept], [Scenarios.Auditor] = [shared, kept], [Scenarios.Vendor] = [shared],
            [Scenarios.Officer] = [shared, kept, unpublished], [Scenarios.Approver] = [shared, kept, unpublished],
        };
        foreach (var (email, evidence) in expected)
        {
            var (response, page) = await (await Fixture.SignedInAs(email)).GetPageAsync($"/circulars/{id}");
            response.StatusCode.ShouldBe(HttpStatusCode.OK, email);
            page.QuerySelectorAll(".evidence-list > li > a").Select(a => a.GetAttribute("href")).ShouldBe(evidence.Select(e => $"/circulars/{id}/evidence/{e}"), email);
        }
    }

    private async Task PublishAsync(Guid id)
    {
        await Fixture.MakePublishableAsync(id);
        var officer = await Fixture.SignedInAs(Scenarios.Officer);
        var approver = await Fixture.SignedInAs(Scenarios.Approver);
        (await Fixture.TransitionAsync(officer, id, "submit")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await Fixture.TransitionAsync(approver, id, "approve")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    private async Task AmendAndApproveAsync(Guid id)
    {
        var officer = await Fixture.SignedInAs(Scenarios.Officer);
        var approver = await Fixture.SignedInAs(Scenarios.Approver);
        var submitted = await Fixture.TransitionAsync(officer, id, "submit", new() { ["ChangeSummary"] = "Re-test recorded.", ["ChangeKind"] = "Minor" });
        submitted.StatusCode.ShouldBe(HttpStatusCode.Redirect, await submitted.Content.ReadAsStringAsync());
        var approved = await Fixture.TransitionAsync(approver, id, "approve");
        approved.StatusCode.ShouldBe(HttpStatusCode.Redirect, await approved.Content.ReadAsStringAsync());
    }

    private async Task NameXiaomiAsync(PortalClient officer, Guid id)
    {
        var (xiaomi, redmi) = await Fixture.Db(async db =>
        {
            var m = await db.Manufacturers.SingleAsync(x => x.Name == "Xiaomi");
            return (m.Id, await db.DeviceModels.Where(d => d.ManufacturerId == m.Id && d.MarketingName == "Redmi 1S").Select(d => d.Id).SingleAsync());
        });
        var rule = await Fixture.TransitionAsync(officer, id, "rules", new()
            { ["ManufacturerId"] = xiaomi.ToString(), ["DeviceModelId"] = redmi.ToString(), ["Action"] = nameof(RuleAction.Banned) });
        rule.StatusCode.ShouldBe(HttpStatusCode.Redirect, await rule.Content.ReadAsStringAsync());
    }

    /// <summary>Gives some bytes, then fails as a dropped connection does.</summary>
    /// <summary>Hands out a few kilobytes at a time, as a multipart section does.</summary>
    private sealed class TrickleStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, 5000)], ct);
    }

    private sealed class BrokenStream(byte[] first) : MemoryStream(first)
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
        {
            var read = await base.ReadAsync(buffer, ct);
            return read > 0 ? read : throw new IOException("The client disconnected.");
        }
    }
}
