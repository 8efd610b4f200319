using Portal.Web.Domain;
using Portal.Web.Infrastructure.Localization;
using System.Security.Cryptography;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.Extensions.Options;
using Portal.Web.Infrastructure.Startup;

namespace Portal.Web.Infrastructure.Storage;

/// <summary>
/// Files kept outside the web root under their SHA-256 (Portal:StoragePath/sha256/ab/abcd…). An upload is
/// streamed to a temporary file beside the store while it is hashed, measured and its type recognised, and
/// only renamed into place (one atomic rename on the same disk) when the use case accepts it; the same bytes
/// uploaded twice are stored once. Several instances may share the folder: names depend only on content.
/// </summary>
public sealed class ContentStore(IOptions<PortalOptions> portal, IHostEnvironment environment)
{
    private const int BufferSize = 1 << 20;

    private string Root => Path.GetFullPath(portal.Value.StoragePath, environment.ContentRootPath);

    /// <summary>
    /// Streams <paramref name="content"/> to a temporary file. Refuses (as a validation failure on <paramref name="field"/>)
    /// an empty file, one over <paramref name="limit"/> bytes, and one whose content is not an accepted type; nothing
    /// is left behind on refusal, on an interrupted upload or on cancellation.
    /// </summary>
    /// <remarks>
    /// Two buffers take turns: while one is written on a pool thread (straight to the disk where it can be, see
    /// <see cref="DirectWriter"/>), the request reads and hashes the next one, so the network, SHA-256 and the disk each
    /// keep busy (docs/decisions/0055). Two megabytes are held per upload, whatever its size.
    /// </remarks>
    public async Task<ReceivedFile> ReceiveAsync(Stream content, long limit, string field, CancellationToken ct)
    {
        var incoming = Path.Combine(Root, "incoming");
        Directory.CreateDirectory(incoming);
        var temp = Path.Combine(incoming, Guid.NewGuid().ToString("N"));
        var head = new byte[FileTypes.HeadLength];
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        try
        {
            long length;
            FileType type;
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0))
            {
                (length, var headLength) = await PumpAsync(content, file, hash, head, limit, field, ct);
                if (length == 0)
                    throw Refusal(field, "The file is empty. Choose the file again: it may not have finished downloading.");
                type = FileTypes.Recognise(head.AsSpan(0, headLength))
                    ?? throw Refusal(field, new Sentence("This file looks like {0}, whatever its name says. Evidence may be {1}.", FileTypes.LooksLike(head.AsSpan(0, headLength)), FileTypes.Accepted));
                // Evidence is custody: the bytes are on the disk, not only in a cache, before the use case records them.
                file.Flush(flushToDisk: true);
            }
            return new ReceivedFile(this, temp, Convert.ToHexStringLower(hash.GetHashAndReset()), length, type);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>
    /// Copies <paramref name="content"/> into <paramref name="file"/> through <paramref name="hash"/>, keeping its first
    /// bytes in <paramref name="head"/>; returns the length and how much of the head was filled.
    /// </summary>
    private static async Task<(long Length, int HeadLength)> PumpAsync(Stream content, FileStream file, IncrementalHash hash, byte[] head, long limit, string field, CancellationToken ct)
    {
        var writer = new DirectWriter(file.SafeFileHandle);
        var reading = DirectWriter.RentBuffer();
        var writing = DirectWriter.RentBuffer();
        var pending = Task.CompletedTask;
        long length = 0;
        var headLength = 0;
        try
        {
            int read;
            while ((read = await FillAsync(content, reading, ct)) > 0)
            {
                length += read;
                if (length > limit)
                    throw Refusal(field, new Sentence("The file is larger than the limit of {0}. Upload a smaller file (split or compress a long capture).", Describe(limit)));
                if (headLength < head.Length)
                {
                    var take = Math.Min(read, head.Length - headLength);
                    reading.Span[..take].CopyTo(head.AsSpan(headLength));
                    headLength += take;
                }
                hash.AppendData(reading.Span[..read]);
                // The previous piece must be on disk before this one follows it.
                await pending;
                (reading, writing) = (writing, reading);
                var piece = writing[..read];
                pending = Task.Run(() => writer.Write(piece.Span), CancellationToken.None);
            }
            await pending;
            return (length, headLength);
        }
        catch
        {
            // A piece still being written holds the file and a buffer: let it end first (its own failure is not the one to report).
            await pending.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            throw;
        }
        finally
        {
            // Only once no write uses them (the catch above waited for it).
            DirectWriter.ReturnBuffer(reading);
            DirectWriter.ReturnBuffer(writing);
        }
    }

    /// <summary>Reads until the buffer is full or the content ends: a multipart body hands out a few kilobytes at a time, and a write per piece would cost a system call each.</summary>
    private static async Task<int> FillAsync(Stream content, Memory<byte> buffer, CancellationToken ct)
    {
        var filled = 0;
        int read;
        while (filled < buffer.Length && (read = await content.ReadAsync(buffer[filled..], ct)) > 0)
            filled += read;
        return filled;
    }

    /// <summary>
    /// Moves a received file to its place, and makes its name as durable as its bytes (flushed before the type check)
    /// before the use case records it; true when these bytes were not stored before.
    /// </summary>
    internal bool Keep(ReceivedFile received)
    {
        var path = PathOf(received.Sha256);
        if (File.Exists(path))
            return false;
        // The file's directory, and the parent of each directory made for it (the first file under "ab/" makes "ab").
        var directory = Path.GetDirectoryName(path)!;
        var toSync = new List<string> { directory };
        for (var d = directory; !Directory.Exists(d) && Path.GetDirectoryName(d) is { } parent; d = parent)
            toSync.Add(parent);
        Directory.CreateDirectory(directory);
        try
        {
            File.Move(received.TempPath, path);
            foreach (var entries in toSync)
                DirectoryEntries.Sync(entries);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another instance stored the same bytes a moment ago: its copy is as good as ours.
            return false;
        }
    }

    /// <summary>Undoes <see cref="Keep"/> when the use case that kept a new file fails after all.</summary>
    internal void Forget(string sha256) => File.Delete(PathOf(sha256));

    public Stream OpenRead(string sha256) =>
        new FileStream(PathOf(sha256), FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);

    public bool Exists(string sha256) => File.Exists(PathOf(sha256));

    private string PathOf(string sha256)
    {
        if (sha256.Length != 64 || !sha256.All(Uri.IsHexDigit))
            throw new ArgumentException("Not a SHA-256 in hex.", nameof(sha256));
        return Path.Combine(Root, "sha256", sha256[..2], sha256);
    }

    public static string Describe(long bytes) => bytes switch
    {
        >= 1L << 30 when bytes % (1L << 30) == 0 => $"{bytes >> 30} GB",
        >= 1L << 20 => $"{bytes / (double)(1 << 20):0.#} MB",
        >= 1L << 10 => $"{bytes / 1024.0:0.#} KB",
        _ => $"{bytes} bytes",
    };

    private static ValidationException Refusal(string field, Sentence message) => new([Sentences.Failure(field, message)]);
}

/// <summary>An upload streamed to a temporary file, hashed and recognised; deleted on dispose unless kept.</summary>
public sealed class ReceivedFile(ContentStore store, string tempPath, string sha256, long length, FileType type) : IDisposable
{
    internal string TempPath => tempPath;
    public string Sha256 => sha256;
    public long Length => length;
    public FileType Type => type;

    /// <summary>Puts the bytes in the store; true when they are new there (see <see cref="ContentStore.Forget"/>).</summary>
    public bool Keep() => store.Keep(this);

    public void Dispose() => File.Delete(tempPath);
}
