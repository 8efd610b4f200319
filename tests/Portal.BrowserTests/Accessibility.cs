using System.Text.Json;
using System.Text.RegularExpressions;
using Deque.AxeCore.Commons;
using Microsoft.Playwright;
using Microsoft.Extensions.DependencyInjection;

namespace Portal.BrowserTests;

/// <summary>
/// Every page a browser test opens is checked with axe (WCAG 2.1 A and AA, every impact level) at desktop and
/// phone width. Each page is snapshotted as it loads, so validation-error re-renders are checked too, and
/// replayed later in a separate checking page with JavaScript on (axe is a script; the tests' own pages run
/// without JavaScript). The snapshot is served back at its own address so the style sheet applies as it did.
/// </summary>
/// <remarks>
/// axe runs as its own script (from Deque.AxeCore.Commons), put into every document of the checking context once,
/// and <c>axe.run</c> is called directly. Deque.AxeCore.Playwright's <c>RunAxe</c> gave the same violations but sent the
/// 550 KB script again and opened a blank page for each run: 1.0-2.0 s per run against axe's own 30-100 ms, three
/// quarters of the browser tests' time (docs/decisions/0056-browser-tests-within-the-budget.md).
/// </remarks>
public sealed partial class Accessibility
{
    /// <summary>Only the violations, with what the failure lines print; the rules are the WCAG 2.1 A and AA tags.</summary>
    private const string Run = """
        () => axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] })
          .then(r => r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.html) })))
        """;

    private static readonly Lazy<string> Script = new(() => new BundledAxeScriptProvider().GetScript());

    private sealed record Violation(string Id, string? Impact, string Help, string[] Nodes);

    private readonly List<(string Url, string Html)> _pending = [];
    private readonly List<Task> _snapshots = [];
    private readonly HashSet<string> _seen = [];
    private readonly Lock _lock = new();

    public void Watch(IPage page) => page.Load += (_, loaded) =>
    {
        var snapshot = SnapshotAsync(loaded);
        lock (_lock)
            _snapshots.Add(snapshot);
    };

    private async Task SnapshotAsync(IPage loaded)
    {
        try
        {
            var html = await loaded.ContentAsync();
            var key = loaded.Url.Split('?')[0] + "\n" + Token().Replace(html, "");
            lock (_lock)
            {
                if (_seen.Add(key))
                    _pending.Add((loaded.Url, html));
            }
        }
        catch (PlaywrightException)
        {
            // The test moved on before the page could be read; the next page it loads is read instead.
        }
    }

    /// <summary>Checks the pages loaded since the last call, once their snapshots are taken; answers one line per violation found.</summary>
    public async Task<IReadOnlyList<string>> CheckAsync(IBrowser browser)
    {
        Task[] snapshots;
        lock (_lock)
        {
            snapshots = [.. _snapshots];
            _snapshots.Clear();
        }
        await Task.WhenAll(snapshots);
        List<(string Url, string Html)> pages;
        lock (_lock)
        {
            pages = [.. _pending];
            _pending.Clear();
        }
        var problems = new List<string>();
        if (pages.Count == 0)
            return problems;
        await using var context = await browser.NewContextAsync(new() { JavaScriptEnabled = true });
        await context.AddInitScriptAsync(Script.Value);
        var checker = await context.NewPageAsync();
        foreach (var (url, html) in pages)
        {
            await checker.RouteAsync(url, route => route.FulfillAsync(new() { Status = 200, ContentType = "text/html; charset=utf-8", Body = html }));
            foreach (var (width, height, name) in new[] { (1280, 900, "desktop"), (390, 844, "phone") })
            {
                await checker.SetViewportSizeAsync(width, height);
                await checker.GotoAsync(url);
                var violations = (await checker.EvaluateAsync<JsonElement>(Run)).Deserialize<Violation[]>(Json)!;
                problems.AddRange(violations.Select(v => $"{url} ({name}): {v.Id} [{v.Impact}] {v.Help}: {string.Join(" | ", v.Nodes)}"));
            }
            await checker.UnrouteAsync(url);
        }
        return problems;
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [GeneratedRegex("value=\"[^\"]{40,}\"")]
    private static partial Regex Token();
}

/// <summary>A browser test: whatever pages it opened must have no accessibility violations when it ends.</summary>
public abstract class BrowserTest(BrowserFixture browser) : IAsyncLifetime
{
    protected BrowserFixture Browser => browser;

    /// <summary>Reads or arranges data in the app's database, as the app's own services see it.</summary>
    protected async Task<T> Db<T>(Func<Portal.Web.Data.PortalDbContext, Task<T>> query)
    {
        await using var scope = browser.Factory.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<Portal.Web.Data.PortalDbContext>());
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        var problems = await browser.Accessibility.CheckAsync(browser.Browser);
        problems.ShouldBeEmpty("axe found accessibility violations:\n" + string.Join("\n", problems));
    }
}
