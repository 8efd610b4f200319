using DiffPlex;
using DiffPlex.Chunkers;

namespace Portal.Web.Infrastructure.Text;

/// <summary>
/// A line diff of two revisions of a text, as the rows of a side-by-side view. DiffPlex matches the lines
/// and, inside a changed line, the words (Myers' algorithm in linear space, so two unrelated
/// 20,000-character sections cost memory in proportion to their lengths). What is ours is what the page
/// needs: how a text splits into lines and words, and a removed line followed by an added one shown as one
/// changed row with the changed words marked (docs/decisions/0013-diffplex.md).
/// </summary>
public static class TextDiff
{
    public enum RowKind { Unchanged, Added, Removed, Changed }

    /// <summary>A run of a changed line's text, <paramref name="Changed"/> when it differs from the other side.</summary>
    public sealed record Segment(string Text, bool Changed);

    /// <summary>
    /// One row of the side-by-side view; line numbers count from 1. <see cref="LeftSegments"/> and
    /// <see cref="RightSegments"/> are empty unless <see cref="Kind"/> is <see cref="RowKind.Changed"/>.
    /// </summary>
    public sealed record Row(
        RowKind Kind,
        int? LeftLineNumber,
        string? LeftText,
        int? RightLineNumber,
        string? RightText,
        IReadOnlyList<Segment> LeftSegments,
        IReadOnlyList<Segment> RightSegments);

    /// <summary>The rows comparing <paramref name="left"/> (the older revision) with <paramref name="right"/>; null reads as empty.</summary>
    public static IReadOnlyList<Row> Compare(string? left, string? right)
    {
        left ??= "";
        right ??= "";
        var leftLines = Lines(left);
        var rightLines = Lines(right);
        var rows = new List<Row>(Math.Max(leftLines.Length, rightLines.Length));
        var removed = new List<int>();
        var added = new List<int>();

        foreach (var (operation, leftIndex, rightIndex) in Edits(left, right, LineChunker))
        {
            switch (operation)
            {
                case Operation.Delete: removed.Add(leftIndex); break;
                case Operation.Insert: added.Add(rightIndex); break;
                default:
                    FlushHunk();
                    rows.Add(new Row(RowKind.Unchanged, leftIndex + 1, leftLines[leftIndex], rightIndex + 1, rightLines[rightIndex], [], []));
                    break;
            }
        }
        FlushHunk();
        return rows;

        void FlushHunk()
        {
            for (var i = 0; i < Math.Max(removed.Count, added.Count); i++)
            {
                if (i < removed.Count && i < added.Count)
                {
                    var (l, r) = (removed[i], added[i]);
                    var (leftSegments, rightSegments) = Words(leftLines[l], rightLines[r]);
                    rows.Add(new Row(RowKind.Changed, l + 1, leftLines[l], r + 1, rightLines[r], leftSegments, rightSegments));
                }
                else if (i < removed.Count)
                    rows.Add(new Row(RowKind.Removed, removed[i] + 1, leftLines[removed[i]], null, null, [], []));
                else
                    rows.Add(new Row(RowKind.Added, null, null, added[i] + 1, rightLines[added[i]], [], []));
            }
            removed.Clear();
            added.Clear();
        }
    }

    // A lone \r also ends a line, as in CommonMark; a final line break does not start another line,
    // so a text that gained or lost only its trailing newline compares equal.
    private static string[] Lines(string text)
    {
        if (string.IsNullOrEmpty(text)) return [];
        var normalised = text.Replace("\r\n", "\n").Replace('\r', '\n');
        if (normalised.EndsWith('\n')) normalised = normalised[..^1];
        return normalised.Split('\n');
    }

    private static (IReadOnlyList<Segment> Left, IReadOnlyList<Segment> Right) Words(string left, string right)
    {
        var leftTokens = Tokens(left);
        var rightTokens = Tokens(right);
        var leftSegments = new List<Segment>();
        var rightSegments = new List<Segment>();
        foreach (var (operation, leftIndex, rightIndex) in Edits(left, right, WordChunker))
        {
            if (operation != Operation.Insert) Append(leftSegments, leftTokens[leftIndex], operation == Operation.Delete);
            if (operation != Operation.Delete) Append(rightSegments, rightTokens[rightIndex], operation == Operation.Insert);
        }
        return (AbsorbGaps(leftSegments), AbsorbGaps(rightSegments));

        static void Append(List<Segment> segments, string token, bool changed)
        {
            if (segments.Count > 0 && segments[^1].Changed == changed)
                segments[^1] = segments[^1] with { Text = segments[^1].Text + token };
            else
                segments.Add(new Segment(token, changed));
        }
    }

    // "quick brown" → "slow red" matches the space between the words; highlighting it too shows one
    // changed phrase instead of two changed words with an unchanged space between them.
    private static List<Segment> AbsorbGaps(List<Segment> segments)
    {
        var result = new List<Segment>(segments.Count);
        for (var i = 0; i < segments.Count; i++)
        {
            var segment = segments[i];
            var isGap = !segment.Changed && string.IsNullOrWhiteSpace(segment.Text)
                && i > 0 && i < segments.Count - 1 && segments[i - 1].Changed && segments[i + 1].Changed;
            if (isGap)
            {
                result[^1] = result[^1] with { Text = result[^1].Text + segment.Text + segments[i + 1].Text };
                i++;
            }
            else
                result.Add(segment);
        }
        return result;
    }

    // Words (letters and digits), runs of white space, and every other character on its own, so a
    // changed punctuation mark does not mark the whole word beside it as changed.
    private static string[] Tokens(string line)
    {
        var tokens = new List<string>();
        var start = 0;
        while (start < line.Length)
        {
            var end = start + 1;
            if (char.IsLetterOrDigit(line[start]))
                while (end < line.Length && char.IsLetterOrDigit(line[end])) end++;
            else if (char.IsWhiteSpace(line[start]))
                while (end < line.Length && char.IsWhiteSpace(line[end])) end++;
            tokens.Add(line[start..end]);
            start = end;
        }
        return [.. tokens];
    }

    private enum Operation { Equal, Delete, Insert }

    private static readonly CustomFunctionChunker LineChunker = new(Lines);
    private static readonly CustomFunctionChunker WordChunker = new(Tokens);

    /// <summary>The edit script turning <paramref name="left"/> into <paramref name="right"/>, in order, deletions before insertions within a hunk.</summary>
    private static IEnumerable<(Operation Operation, int LeftIndex, int RightIndex)> Edits(string left, string right, CustomFunctionChunker chunker)
    {
        var diff = Differ.Instance.CreateDiffs(left, right, ignoreWhiteSpace: false, ignoreCase: false, chunker);
        int i = 0, j = 0;
        foreach (var block in diff.DiffBlocks)
        {
            while (i < block.DeleteStartA) yield return (Operation.Equal, i++, j++);
            for (var k = 0; k < block.DeleteCountA; k++) yield return (Operation.Delete, i++, j);
            for (var k = 0; k < block.InsertCountB; k++) yield return (Operation.Insert, i, j++);
        }
        while (i < diff.PiecesOld.Count) yield return (Operation.Equal, i++, j++);
    }
}
