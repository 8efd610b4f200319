namespace Portal.Web.Features.Home;

/// <summary>One circular in a start-page list: the date is the one that matters for that list (deadline, submitted on ...).</summary>
public sealed record CircularItem(Guid Id, string? Reference, string Title, DateOnly? Date, bool Overdue = false);

/// <summary>How many of a list there are and the first few of them; the count links to the whole list.</summary>
public sealed record Slice<T>(int Count, IReadOnlyList<T> First)
{
    public const int Shown = 5;
}
