namespace Portal.Web.Infrastructure.Text;

/// <summary>
/// A line diff of two revisions of a text, as the rows of a side-by-side view. Lines are matched with
/// Myers' algorithm in its linear-space form, so two unrelated 20,000-character sections cost memory in
/// proportion to their lengths, not to their product. A removed line followed by an added one is shown
/// as one changed row, with word-level segments so the view can highlight what changed inside the line.
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
        var leftLines = Lines(left);
        var rightLines = Lines(right);
        var rows = new List<Row>(Math.Max(leftLines.Length, rightLines.Length));
        var removed = new List<int>();
        var added = new List<int>();

        foreach (var (operation, leftIndex, rightIndex) in Edits(leftLines, rightLines))
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
    private static string[] Lines(string? text)
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
        foreach (var (operation, leftIndex, rightIndex) in Edits(leftTokens, rightTokens))
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

    /// <summary>The edit script turning <paramref name="left"/> into <paramref name="right"/>, in order, deletions before insertions within a hunk.</summary>
    private static IEnumerable<(Operation Operation, int LeftIndex, int RightIndex)> Edits(string[] left, string[] right)
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var a = Array.ConvertAll(left, Id);
        var b = Array.ConvertAll(right, Id);
        var myers = new Myers(a, b);
        myers.Diff(0, a.Length, 0, b.Length);

        // Elements neither removed nor added are the common subsequence, in the same order on both sides.
        int i = 0, j = 0;
        while (i < a.Length || j < b.Length)
        {
            if (i < a.Length && myers.Removed[i]) yield return (Operation.Delete, i++, j);
            else if (j < b.Length && myers.Added[j]) yield return (Operation.Insert, i, j++);
            else yield return (Operation.Equal, i++, j++);
        }

        int Id(string text)
        {
            if (!ids.TryGetValue(text, out var id)) ids.Add(text, id = ids.Count);
            return id;
        }
    }

    /// <summary>Myers' O((N+M)D) diff, recursing on the middle snake ("An O(ND) Difference Algorithm", section 4b).</summary>
    private sealed class Myers(int[] a, int[] b)
    {
        public bool[] Removed { get; } = new bool[a.Length];
        public bool[] Added { get; } = new bool[b.Length];

        public void Diff(int aStart, int aEnd, int bStart, int bEnd)
        {
            while (aStart < aEnd && bStart < bEnd && a[aStart] == b[bStart]) { aStart++; bStart++; }
            while (aStart < aEnd && bStart < bEnd && a[aEnd - 1] == b[bEnd - 1]) { aEnd--; bEnd--; }
            if (aStart == aEnd || bStart == bEnd)
            {
                MarkAll(aStart, aEnd, bStart, bEnd);
                return;
            }

            // A split at either corner would recurse on the same problem; it cannot happen once the
            // common ends are trimmed, but a wrong diff is better than a stack overflow on a page.
            if (MiddleSnake(aStart, aEnd, bStart, bEnd) is (var x, var y)
                && (x, y) != (aStart, bStart) && (x, y) != (aEnd, bEnd))
            {
                Diff(aStart, x, bStart, y);
                Diff(x, aEnd, y, bEnd);
            }
            else
                MarkAll(aStart, aEnd, bStart, bEnd);
        }

        private void MarkAll(int aStart, int aEnd, int bStart, int bEnd)
        {
            Array.Fill(Removed, true, aStart, aEnd - aStart);
            Array.Fill(Added, true, bStart, bEnd - bStart);
        }

        // Walks forward from the top-left and backward from the bottom-right, one edit at a time, until
        // the two furthest-reaching paths overlap; the point where they meet splits an optimal script.
        // forward[k] / backward[k] hold the furthest x reached on diagonal k (x - y, counted from the
        // respective corner), -1 when not reached yet.
        private (int X, int Y)? MiddleSnake(int aStart, int aEnd, int bStart, int bEnd)
        {
            int n = aEnd - aStart, m = bEnd - bStart;
            var maxD = (n + m + 1) / 2;
            var offset = maxD;
            var length = 2 * maxD + 2;
            var forward = new int[length];
            var backward = new int[length];
            Array.Fill(forward, -1);
            Array.Fill(backward, -1);
            forward[offset + 1] = 0;
            backward[offset + 1] = 0;
            var delta = n - m;
            // With an odd delta the paths can first meet on a forward step, with an even one on a backward step.
            var checkOnForward = delta % 2 != 0;
            int forwardKStart = 0, forwardKEnd = 0, backwardKStart = 0, backwardKEnd = 0;

            for (var d = 0; d < maxD; d++)
            {
                for (var k = -d + forwardKStart; k <= d - forwardKEnd; k += 2)
                {
                    var index = offset + k;
                    var x = k == -d || (k != d && forward[index - 1] < forward[index + 1])
                        ? forward[index + 1]
                        : forward[index - 1] + 1;
                    var y = x - k;
                    while (x < n && y < m && a[aStart + x] == b[bStart + y]) { x++; y++; }
                    forward[index] = x;
                    if (x > n) forwardKEnd += 2;
                    else if (y > m) forwardKStart += 2;
                    else if (checkOnForward)
                    {
                        var other = offset + delta - k;
                        if (other >= 0 && other < length && backward[other] != -1 && x >= n - backward[other])
                            return (aStart + x, bStart + y);
                    }
                }

                for (var k = -d + backwardKStart; k <= d - backwardKEnd; k += 2)
                {
                    var index = offset + k;
                    var x = k == -d || (k != d && backward[index - 1] < backward[index + 1])
                        ? backward[index + 1]
                        : backward[index - 1] + 1;
                    var y = x - k;
                    while (x < n && y < m && a[aEnd - 1 - x] == b[bEnd - 1 - y]) { x++; y++; }
                    backward[index] = x;
                    if (x > n) backwardKEnd += 2;
                    else if (y > m) backwardKStart += 2;
                    else if (!checkOnForward)
                    {
                        var other = offset + delta - k;
                        if (other >= 0 && other < length && forward[other] != -1)
                        {
                            var forwardX = forward[other];
                            var forwardY = offset + forwardX - other;
                            if (forwardX >= n - x)
                                return (aStart + forwardX, bStart + forwardY);
                        }
                    }
                }
            }
            return null;
        }
    }
}
