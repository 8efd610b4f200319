using System.Text.Unicode;

namespace Portal.Web.Infrastructure.Storage;

/// <summary>A file type recognised by its content.</summary>
public sealed record FileType(string ContentType, string Description);

/// <summary>
/// Decides what a file is from its first bytes, never from its name or the browser's word: lab reports
/// (PDF), captures (pcap, pcapng), screenshots (PNG, JPEG, GIF, WebP), JSON and plain text. Anything else
/// is refused with what it looks like, so an executable renamed ".pdf" is named for what it is.
/// </summary>
public static class FileTypes
{
    /// <summary>How many leading bytes the decision needs; text is judged on this much of the file.</summary>
    public const int HeadLength = 8192;

    public const string Accepted = "PDF, packet captures (pcap, pcapng), images (PNG, JPEG, GIF, WebP), JSON or plain text";

    public static FileType? Recognise(ReadOnlySpan<byte> head) =>
        head switch
        {
            [0x25, 0x50, 0x44, 0x46, 0x2D, ..] => new("application/pdf", "PDF document"),
            [0xD4, 0xC3, 0xB2, 0xA1, ..] or [0xA1, 0xB2, 0xC3, 0xD4, ..] or [0x4D, 0x3C, 0xB2, 0xA1, ..] or [0xA1, 0xB2, 0x3C, 0x4D, ..]
                => new("application/vnd.tcpdump.pcap", "packet capture (pcap)"),
            [0x0A, 0x0D, 0x0D, 0x0A, ..] => new("application/x-pcapng", "packet capture (pcapng)"),
            [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, ..] => new("image/png", "PNG image"),
            [0xFF, 0xD8, 0xFF, ..] => new("image/jpeg", "JPEG image"),
            [0x47, 0x49, 0x46, 0x38, 0x37 or 0x39, 0x61, ..] => new("image/gif", "GIF image"),
            [0x52, 0x49, 0x46, 0x46, _, _, _, _, 0x57, 0x45, 0x42, 0x50, ..] => new("image/webp", "WebP image"),
            _ => Text(head),
        };

    /// <summary>What a refused file looks like, for the message.</summary>
    public static string LooksLike(ReadOnlySpan<byte> head) => head switch
    {
        [0x4D, 0x5A, ..] => "a Windows program",
        [0x7F, 0x45, 0x4C, 0x46, ..] => "a Linux program",
        [0xCF, 0xFA, 0xED, 0xFE, ..] or [0xCE, 0xFA, 0xED, 0xFE, ..] or [0xCA, 0xFE, 0xBA, 0xBE, ..] => "a macOS program",
        [0x23, 0x21, ..] => "a script",
        [0x50, 0x4B, 0x03, 0x04, ..] => "a ZIP archive (or an Office document, an APK or a JAR)",
        [0x1F, 0x8B, ..] => "a gzip archive",
        [0x52, 0x61, 0x72, 0x21, ..] => "a RAR archive",
        [0x37, 0x7A, 0xBC, 0xAF, ..] => "a 7-Zip archive",
        [0x3C, ..] => "HTML or XML",
        _ => "a file of an unknown kind",
    };

    /// <summary>UTF-8 without control characters (other than tab, line and page breaks); JSON when it opens with a brace or bracket.</summary>
    private static FileType? Text(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith("\uFEFF"u8))
            head = head[3..];
        // The head may end inside a multi-byte character: judge only up to the last complete one.
        var end = head.Length;
        for (var back = 1; back <= Math.Min(3, head.Length); back++)
        {
            var b = head[^back];
            if ((b & 0xC0) == 0x80) continue;
            if (b >= 0xC0) end = head.Length - back;
            break;
        }
        var body = head[..end];
        if (body.IsEmpty || !Utf8.IsValid(body))
            return null;
        foreach (var b in body)
            if ((b < 0x20 && b is not ((byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0C)) || b == 0x7F)
                return null;
        var first = body.TrimStart(" \t\r\n"u8);
        if (first.IsEmpty)
            return null;
        if (first[0] == '<')
            return null;
        return first[0] is (byte)'{' or (byte)'['
            ? new("application/json", "JSON")
            : new("text/plain", "plain text");
    }
}
