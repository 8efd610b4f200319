using System.Net.Http.Headers;
using Portal.Web.Domain;

namespace Portal.Tests.Support;

/// <summary>A portal whose evidence store is a fresh folder on disk, with a 1 MB file limit so the limit can be met cheaply.</summary>
public sealed class EvidenceFixture : IAsyncLifetime
{
    public string Storage { get; } = Directory.CreateTempSubdirectory("portal-evidence-").FullName;

    public PortalFixture Portal { get; }

    public EvidenceFixture() => Portal = new PortalFixture(new Dictionary<string, string?>
    {
        ["Portal:StoragePath"] = Storage,
        ["Portal:Evidence:MaxFileSizeMegabytes"] = "1",
    });

    public Task InitializeAsync() => Portal.InitializeAsync();

    public async Task DisposeAsync()
    {
        await Portal.DisposeAsync();
        Directory.Delete(Storage, recursive: true);
    }

    public string StoredPath(string sha256) => Path.Combine(Storage, "sha256", sha256[..2], sha256);

    public IEnumerable<string> Incoming() =>
        Directory.Exists(Path.Combine(Storage, "incoming")) ? Directory.EnumerateFiles(Path.Combine(Storage, "incoming")) : [];
}

/// <summary>Evidence arranged the way officers do it: the same forms the pages post.</summary>
public static class EvidenceScenarios
{
    public static readonly byte[] Pdf = "%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"u8.ToArray();

    public static async Task<Guid> RecordEvidenceAsync(this PortalFixture fixture, PortalClient officer, Guid circularId, string title = "LAB/2026/117 network capture")
    {
        var response = await officer.PostFormAsync($"/circulars/{circularId}/evidence/new", new()
        {
            ["Title"] = title,
            ["Lab"] = "Defence device lab",
            ["TestedOn"] = "2026-03-02",
            ["DeviceTested"] = "Redmi 1S (2014011)",
            ["FirmwareTested"] = "V5.7.4",
            ["Method"] = "New SIM, factory reset, traffic captured on first start.",
        });
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        return Guid.Parse(response.Headers.Location!.OriginalString.Split('/').Last());
    }

    public static Task<uint> EvidenceVersionAsync(this PortalFixture fixture, Guid evidenceId) =>
        fixture.Db(db => db.Evidence.Where(e => e.Id == evidenceId).Select(e => e.Version).SingleAsync());

    /// <summary>Posts the upload form as a browser does: token and version first, then the file.</summary>
    public static async Task<HttpResponseMessage> UploadAsync(this PortalFixture fixture, PortalClient officer, Guid circularId, Guid evidenceId,
        byte[] bytes, string fileName, bool withToken = true)
    {
        using var form = new MultipartFormDataContent();
        if (withToken)
            form.Add(new StringContent(await officer.AntiforgeryTokenAsync($"/circulars/{circularId}")), "__RequestVerificationToken");
        form.Add(new StringContent((await fixture.EvidenceVersionAsync(evidenceId)).ToString()), "Version");
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(file, "File", fileName);
        return await officer.Http.PostAsync($"/circulars/{circularId}/evidence/{evidenceId}/files", form);
    }

    public static async Task<HttpResponseMessage> AddFindingAsync(this PortalFixture fixture, PortalClient officer, Guid circularId, Guid evidenceId,
        Dictionary<string, string> fields)
    {
        var body = new Dictionary<string, string>(fields) { ["Version"] = (await fixture.EvidenceVersionAsync(evidenceId)).ToString() };
        return await officer.PostFormAsync($"/circulars/{circularId}/evidence/{evidenceId}/findings", body, $"/circulars/{circularId}");
    }

    public static Dictionary<string, string> Finding(DataCategory category, string host, string country, string ip = "") => new()
    {
        ["Category"] = category.ToString(), ["Host"] = host, ["IpAddress"] = ip, ["Country"] = country, ["Protocol"] = "HTTPS",
        ["Encrypted"] = "false", ["ObservedAt"] = "2026-03-02T10:15",
    };
}
