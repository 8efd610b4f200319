using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Html;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Portal.Web.Data;
using Portal.Web.Domain;
using Portal.Web.Infrastructure.Web;

namespace Portal.Web.Features.Circulars;

/// <summary>
/// What the circular page shows of a published revision, made once: the text with its Markdown rendered, the
/// rules in words, the sources and what its cited evidence was seen sending where. A published revision never
/// changes, nor does the evidence it cites (both guarded by triggers), and a new revision has a new id, so this is
/// cached by revision id and never goes stale; who may see it, and what is shown around it, is decided per
/// request (see docs/decisions/0060-circular-page-and-acknowledgement-storm.md and 0062-the-circular-page-at-the-peak.md).
/// </summary>
public sealed record RevisionContent(
    Guid RevisionId, Guid CircularId, int Number, DateTimeOffset PublishedAt, CircularText Text,
    IReadOnlyList<RuleWords> Rules, IReadOnlyList<Details.SourceRow> Sources, Guid[] AudienceUnitIds,
    IReadOnlyDictionary<string, IHtmlContent> Html, IReadOnlyList<Evidence.Destination> Destinations)
{
    /// <summary>The page's parts made of this revision alone, as the page rendered them, per language.</summary>
    public RenderedParts Parts { get; } = new();

    public static RevisionContent Of(CircularRevision r, MarkdownRenderer markdown, IReadOnlyList<Evidence.Destination> destinations)
    {
        var text = r.Text;
        var html = new Dictionary<string, IHtmlContent>(StringComparer.Ordinal);
        foreach (var part in new[] { text.Summary, text.Background, text.RiskAssessment, text.Impact, text.RequiredActions, text.References, text.FamilySummary, text.InternalNotes })
            if (!string.IsNullOrWhiteSpace(part))
                html.TryAdd(part, new HtmlString(Flatten(markdown.Render(part))));
        var rules = r.Rules.Select(RuleWords.Of).ToList();
        var sources = r.Sources.Select(s => new Details.SourceRow(null, s.Kind, s.Identifier, s.Title, s.Url)).ToList();
        return new RevisionContent(r.Id, r.CircularId, r.Number, r.PublishedAt, text, rules, sources, r.AudienceUnitIds, html, destinations);
    }

    private static string Flatten(IHtmlContent content)
    {
        using var writer = new StringWriter();
        content.WriteTo(writer, System.Text.Encodings.Web.HtmlEncoder.Default);
        return writer.ToString();
    }
}

/// <summary>Rendered revision content by revision id, for every instance on its own: nothing in it can differ between instances.</summary>
public sealed class RevisionContentCache(MarkdownRenderer markdown) : IDisposable
{
    /// <summary>At most this many revisions' content is held; each is a few tens of kilobytes.</summary>
    public const int CachedRevisions = 2_000;

    private static readonly MemoryCacheEntryOptions Entry = new MemoryCacheEntryOptions { Size = 1 }.SetSlidingExpiration(TimeSpan.FromHours(6));

    // Its own cache, not the shared IMemoryCache: a size limit there would oblige every other user to give sizes.
    private readonly MemoryCache cache = new(new MemoryCacheOptions { SizeLimit = CachedRevisions });

    public async Task<RevisionContent> GetAsync(PortalDbContext db, Guid revisionId, CancellationToken ct)
    {
        if (cache.TryGetValue(Key(revisionId), out RevisionContent? content) && content is not null)
            return content;
        var revision = await db.CircularRevisions.AsNoTracking().FirstAsync(r => r.Id == revisionId, ct);
        content = RevisionContent.Of(revision, markdown, await Evidence.Destinations.OfAsync(db, revision.CircularId, revision.Id, ct));
        cache.Set(Key(revisionId), content, Entry);
        return content;
    }

    public bool Holds(Guid revisionId) => cache.TryGetValue(Key(revisionId), out _);

    /// <summary>Drops a revision's content, so that the next page renders it afresh (the tests compare both).</summary>
    internal void Forget(Guid revisionId) => cache.Remove(Key(revisionId));

    private static (string, Guid) Key(Guid revisionId) => ("revision-content", revisionId);

    public void Dispose() => cache.Dispose();
}

/// <summary>
/// Markdown for a page: what was rendered once (a revision's sections) is looked up by its text, anything else
/// is rendered now. The view calls <see cref="Render"/> as it would call <see cref="MarkdownRenderer"/>.
/// </summary>
public sealed class RenderedMarkdown(MarkdownRenderer markdown, IReadOnlyDictionary<string, IHtmlContent>? rendered = null)
{
    /// <summary>Renders everything as it comes (a result made without the cache, such as one read back from JSON).</summary>
    public static readonly RenderedMarkdown Live = new(new MarkdownRenderer());

    public IHtmlContent Render(string? text) =>
        text is not null && rendered is not null && rendered.TryGetValue(text, out var html) ? html : markdown.Render(text);
}

/// <summary>
/// The parts of the circular page that depend on nothing but the revision and the language (the sections, the family
/// summary with the Hindi version, the rules in words, the sources), rendered once by the page's own markup and kept with
/// the revision's content, so they live and go with it (docs/decisions/0064-the-circular-page-rendered-once.md). Nothing
/// that depends on the reader goes in a part: internal notes, the acknowledgement box, the audience and the evidence are
/// rendered per request around them.
/// </summary>
public sealed class RenderedParts
{
    private readonly ConcurrentDictionary<(string Culture, string UiCulture, string Part), IHtmlContent> parts = new();

    /// <summary>
    /// The part as rendered before in this language; the first time, the page's markup itself, written to the page as
    /// always, and once more into a string kept for the next pages.
    /// </summary>
    public async Task<IHtmlContent> OnceAsync(string part, Func<dynamic?, object> markup)
    {
        var key = (CultureInfo.CurrentCulture.Name, CultureInfo.CurrentUICulture.Name, part);
        if (parts.TryGetValue(key, out var html))
            return html;
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        await Write(markup(null), writer);
        parts.TryAdd(key, new HtmlString(writer.ToString()));
        return (IHtmlContent)markup(null);
    }

    /// <summary>The part rendered now, for a page that keeps nothing (a working copy).</summary>
    public static Task<IHtmlContent> LiveAsync(Func<dynamic?, object> markup) => Task.FromResult((IHtmlContent)markup(null));

    public int Count => parts.Count;

    private static Task Write(object rendered, TextWriter writer)
    {
        if (rendered is Microsoft.AspNetCore.Mvc.Razor.HelperResult helper)
            return helper.WriteAction(writer);
        ((IHtmlContent)rendered).WriteTo(writer, System.Text.Encodings.Web.HtmlEncoder.Default);
        return Task.CompletedTask;
    }
}

public static class RevisionContentRegistration
{
    public static IServiceCollection AddPortalRevisionContent(this IServiceCollection services)
    {
        services.AddSingleton<RevisionContentCache>();
        services.AddScoped<PageFacts>();
        return services;
    }
}
