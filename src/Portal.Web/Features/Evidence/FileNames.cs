using System.Text;

namespace Portal.Web.Features.Evidence;

/// <summary>
/// The name an uploaded file is shown and downloaded under. The bytes are stored under their hash, so the
/// name never reaches the disk; it is still cleaned for the people who read it: no folders ("../", "C:\"),
/// no control or direction-changing characters, no characters Windows refuses, and at most 120 characters
/// with the extension kept.
/// </summary>
public static class FileNames
{
    public const int MaxLength = 120;

    public static string Clean(string? raw)
    {
        var name = (raw ?? "").Replace('\\', '/');
        name = name[(name.LastIndexOf('/') + 1)..];
        var clean = new StringBuilder(name.Length);
        foreach (var ch in name.Normalize(NormalizationForm.FormC))
        {
            if (char.IsControl(ch) || ch is (>= '\u200B' and <= '\u200F') or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') or '\uFEFF')
                continue;
            clean.Append(ch is '<' or '>' or ':' or '"' or '|' or '?' or '*' ? '_' : ch);
        }
        name = clean.ToString().Trim().Trim('.').Trim();
        if (name.Length == 0)
            return "evidence";
        if (name.Length <= MaxLength)
            return name;
        var extension = Path.GetExtension(name);
        if (extension.Length > 12)
            extension = "";
        var stem = name[..^extension.Length];
        var cut = MaxLength - extension.Length;
        // Never cut a surrogate pair in half.
        if (char.IsHighSurrogate(stem[cut - 1]))
            cut--;
        return stem[..cut].TrimEnd() + extension;
    }
}
