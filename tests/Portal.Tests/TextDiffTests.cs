using Portal.Web.Infrastructure.Text;
using static Portal.Web.Infrastructure.Text.TextDiff;

namespace Portal.Tests;

public sealed class TextDiffTests
{
    [Fact]
    public void Identical_texts_are_unchanged_line_for_line()
    {
        var rows = Compare("# Impact\nContacts are sent abroad.\n\nRemove the app.", "# Impact\nContacts are sent abroad.\n\nRemove the app.");

        rows.Select(r => r.Kind).ShouldAllBe(kind => kind == RowKind.Unchanged);
        rows.Select(r => (r.LeftLineNumber, r.LeftText, r.RightLineNumber, r.RightText)).ShouldBe(
        [
            (1, "# Impact", 1, "# Impact"),
            (2, "Contacts are sent abroad.", 2, "Contacts are sent abroad."),
            (3, "", 3, ""),
            (4, "Remove the app.", 4, "Remove the app."),
        ]);
    }

    [Fact]
    public void An_inserted_line_is_added_on_the_right_only()
    {
        var rows = Compare("one\ntwo\nthree", "one\ntwo\nnew\nthree");

        rows.ShouldBe(
        [
            new Row(RowKind.Unchanged, 1, "one", 1, "one", [], []),
            new Row(RowKind.Unchanged, 2, "two", 2, "two", [], []),
            new Row(RowKind.Added, null, null, 3, "new", [], []),
            new Row(RowKind.Unchanged, 3, "three", 4, "three", [], []),
        ], new RowComparer());
    }

    [Fact]
    public void A_deleted_line_is_removed_on_the_left_only()
    {
        var rows = Compare("one\ntwo\nthree", "one\nthree");

        rows.ShouldBe(
        [
            new Row(RowKind.Unchanged, 1, "one", 1, "one", [], []),
            new Row(RowKind.Removed, 2, "two", null, null, [], []),
            new Row(RowKind.Unchanged, 3, "three", 2, "three", [], []),
        ], new RowComparer());
    }

    [Fact]
    public void A_removed_line_followed_by_an_added_one_is_a_change_with_the_changed_words_marked()
    {
        var rows = Compare("Do not use the Redmi Note 12.\nReport it.", "Do not use the Redmi Note 13 Pro.\nReport it.");

        rows.Count.ShouldBe(2);
        var changed = rows[0];
        changed.Kind.ShouldBe(RowKind.Changed);
        (changed.LeftLineNumber, changed.LeftText).ShouldBe((1, "Do not use the Redmi Note 12."));
        (changed.RightLineNumber, changed.RightText).ShouldBe((1, "Do not use the Redmi Note 13 Pro."));
        changed.LeftSegments.ShouldBe([new Segment("Do not use the Redmi Note ", false), new Segment("12", true), new Segment(".", false)]);
        changed.RightSegments.ShouldBe([new Segment("Do not use the Redmi Note ", false), new Segment("13 Pro", true), new Segment(".", false)]);
        rows[1].Kind.ShouldBe(RowKind.Unchanged);
    }

    [Fact]
    public void The_space_between_two_changed_words_is_part_of_the_change()
    {
        var row = Compare("the quick brown fox", "the slow red fox").ShouldHaveSingleItem();

        row.LeftSegments.ShouldBe([new Segment("the ", false), new Segment("quick brown", true), new Segment(" fox", false)]);
        row.RightSegments.ShouldBe([new Segment("the ", false), new Segment("slow red", true), new Segment(" fox", false)]);
    }

    [Fact]
    public void Surplus_lines_of_a_replaced_block_are_added_or_removed_after_the_paired_changes()
    {
        var rows = Compare("keep\nold a\nold b\nold c\nend", "keep\nnew a\nend");

        rows.Select(r => (r.Kind, r.LeftLineNumber, r.RightLineNumber)).ShouldBe(
        [
            (RowKind.Unchanged, 1, 1),
            (RowKind.Changed, 2, 2),
            (RowKind.Removed, 3, null),
            (RowKind.Removed, 4, null),
            (RowKind.Unchanged, 5, 3),
        ]);
    }

    [Fact]
    public void An_empty_left_side_shows_every_line_as_added()
    {
        var rows = Compare("", "first\nsecond");

        rows.ShouldBe(
        [
            new Row(RowKind.Added, null, null, 1, "first", [], []),
            new Row(RowKind.Added, null, null, 2, "second", [], []),
        ], new RowComparer());
        Compare(null, "first").ShouldHaveSingleItem().Kind.ShouldBe(RowKind.Added);
    }

    [Fact]
    public void An_empty_right_side_shows_every_line_as_removed()
    {
        var rows = Compare("first\nsecond", "");

        rows.ShouldBe(
        [
            new Row(RowKind.Removed, 1, "first", null, null, [], []),
            new Row(RowKind.Removed, 2, "second", null, null, [], []),
        ], new RowComparer());
    }

    [Fact]
    public void Two_empty_texts_have_no_rows() => Compare("", null).ShouldBeEmpty();

    [Fact]
    public void Crlf_and_lf_line_endings_compare_equal()
    {
        var rows = Compare("one\r\ntwo\r\nthree\r\n", "one\ntwo\nthree");

        rows.Select(r => r.Kind).ShouldBe([RowKind.Unchanged, RowKind.Unchanged, RowKind.Unchanged]);
        rows.Select(r => r.LeftText).ShouldBe(["one", "two", "three"]);
    }

    [Fact]
    public void Every_diff_rebuilds_both_texts_and_keeps_a_longest_common_subsequence()
    {
        var random = new Random(20260101);
        for (var round = 0; round < 500; round++)
        {
            var left = RandomLines(random);
            var right = RandomLines(random);

            var rows = Compare(string.Join('\n', left), string.Join('\n', right));

            var context = $"left [{string.Join(',', left)}], right [{string.Join(',', right)}]";
            rows.Where(r => r.LeftText is not null).Select(r => r.LeftText).ShouldBe(left, context);
            rows.Where(r => r.RightText is not null).Select(r => r.RightText).ShouldBe(right, context);
            rows.Where(r => r.LeftLineNumber is not null).Select(r => r.LeftLineNumber!.Value).ShouldBe(Enumerable.Range(1, left.Length), context);
            rows.Where(r => r.RightLineNumber is not null).Select(r => r.RightLineNumber!.Value).ShouldBe(Enumerable.Range(1, right.Length), context);
            rows.Where(r => r.Kind == RowKind.Unchanged).ShouldAllBe(r => r.LeftText == r.RightText, context);
            rows.Count(r => r.Kind == RowKind.Unchanged).ShouldBe(LongestCommonSubsequence(left, right), context);
        }
    }

    [Fact]
    public void Two_unrelated_sections_of_the_largest_size_pair_up_line_by_line()
    {
        var left = string.Join('\n', Enumerable.Range(0, 10_000).Select(i => ((char)('a' + i % 26)).ToString()));
        var right = string.Join('\n', Enumerable.Range(0, 10_000).Select(i => ((char)('A' + i % 26)).ToString()));

        var rows = Compare(left, right);

        rows.Count.ShouldBe(10_000);
        rows.ShouldAllBe(r => r.Kind == RowKind.Changed);
    }

    private static string[] RandomLines(Random random) =>
        [.. Enumerable.Range(0, random.Next(0, 30)).Select(_ => ((char)('a' + random.Next(4))).ToString())];

    private static int LongestCommonSubsequence(string[] a, string[] b)
    {
        var lengths = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
            for (var j = b.Length - 1; j >= 0; j--)
                lengths[i, j] = a[i] == b[j] ? lengths[i + 1, j + 1] + 1 : Math.Max(lengths[i + 1, j], lengths[i, j + 1]);
        return lengths[0, 0];
    }

    // Rows hold their segments as lists, which records compare by reference.
    private sealed class RowComparer : IEqualityComparer<Row>
    {
        public bool Equals(Row? x, Row? y) =>
            x is not null && y is not null
            && (x.Kind, x.LeftLineNumber, x.LeftText, x.RightLineNumber, x.RightText) == (y.Kind, y.LeftLineNumber, y.LeftText, y.RightLineNumber, y.RightText)
            && x.LeftSegments.SequenceEqual(y.LeftSegments) && x.RightSegments.SequenceEqual(y.RightSegments);

        public int GetHashCode(Row row) => HashCode.Combine(row.Kind, row.LeftLineNumber, row.RightLineNumber);
    }
}
