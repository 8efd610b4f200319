namespace Portal.Web.Domain;

public enum DeviceImportState { Uploaded, Queued, Running, Completed, Failed }

/// <summary>A row of an MDM export that was not imported, and why. Only the IMEI's last four digits are kept.</summary>
public sealed record ImportRejection(int Line, string Reason, string? Imei);

/// <summary>
/// An uploaded MDM export, kept in the database between the mapping, preview and import steps (so any
/// app instance can take the next step), with the column mapping chosen and, once imported, the counts
/// and every rejected row.
/// </summary>
public sealed class DeviceImport
{
    private DeviceImport() { }

    public Guid Id { get; private set; }
    /// <summary>The officer who uploaded the file, or null when an MDM system sent it through the API (<see cref="UploadedByClientId"/>).</summary>
    public Guid? UploadedById { get; private set; }

    /// <summary>The API client (an MDM system, scope devices.import) that sent the file, or null for an officer's upload.</summary>
    public Guid? UploadedByClientId { get; private set; }
    public string FileName { get; private set; } = "";
    public byte[] Content { get; private set; } = [];
    public DateTimeOffset UploadedAt { get; private set; }
    public DeviceImportState State { get; private set; }
    public Dictionary<string, string> Mapping { get; private set; } = [];
    public int Rows { get; private set; }
    public int Inserted { get; private set; }
    public int Updated { get; private set; }
    public int Unchanged { get; private set; }
    public List<ImportRejection> Rejections { get; private set; } = [];
    public DateTimeOffset? CompletedAt { get; private set; }

    /// <summary>Background work (docs/decisions/0052-device-import-jobs-and-benchmarks.md): when confirmed, when a worker took it,
    /// how far it got (written by the worker outside its own transaction, so every instance can show it), how many tries.</summary>
    public DateTimeOffset? QueuedAt { get; private set; }
    public DateTimeOffset? StartedAt { get; private set; }
    public int RowsDone { get; private set; }
    public int RowsRejected { get; private set; }
    public int Attempts { get; private set; }
    public string? Failure { get; private set; }

    /// <param name="byClient">Whether <paramref name="by"/> is an API client's id (a machine's upload) rather than a person's.</param>
    public static DeviceImport Upload(Guid by, string fileName, byte[] content, Dictionary<string, string> mapping, DateTimeOffset now, bool byClient = false) => new()
    {
        Id = Guid.CreateVersion7(),
        UploadedById = byClient ? null : by,
        UploadedByClientId = byClient ? by : null,
        FileName = fileName.Length > 200 ? fileName[..200] : fileName,
        Content = content,
        UploadedAt = now,
        State = DeviceImportState.Uploaded,
        Mapping = mapping,
    };

    public void Map(Dictionary<string, string> mapping)
    {
        if (State != DeviceImportState.Uploaded)
            throw new DomainException("This file was already imported; upload it again to import it once more.");
        Mapping = mapping;
    }

    /// <summary>The officer confirmed the preview: a worker imports it in the background.</summary>
    public void Queue(DateTimeOffset now)
    {
        if (State != DeviceImportState.Uploaded)
            throw new DomainException("This file was already imported; upload it again to import it once more.");
        State = DeviceImportState.Queued;
        QueuedAt = now;
    }

    public void Complete(int rows, int inserted, int updated, int unchanged, List<ImportRejection> rejections, DateTimeOffset now)
    {
        if (State is not (DeviceImportState.Queued or DeviceImportState.Running))
            throw new DomainException("This file was already imported; upload it again to import it once more.");
        State = DeviceImportState.Completed;
        (Rows, Inserted, Updated, Unchanged, Rejections, CompletedAt) = (rows, inserted, updated, unchanged, rejections, now);
        (RowsDone, RowsRejected) = (rows, rejections.Count);
        Content = [];
    }

    /// <summary>Nothing was imported: the file cannot be read as mapped. The reason is shown on the import's page.</summary>
    public void Fail(string reason, DateTimeOffset now)
    {
        if (State is not (DeviceImportState.Queued or DeviceImportState.Running))
            throw new DomainException("This file was already imported; upload it again to import it once more.");
        State = DeviceImportState.Failed;
        Failure = reason.Length > 500 ? reason[..500] : reason;
        CompletedAt = now;
    }
}
