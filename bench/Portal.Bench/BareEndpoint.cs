using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Portal.Bench;

/// <summary>
/// The yardstick for the circular page: a minimal Kestrel app that reads the same circular's current revision
/// with one Npgsql query and writes its title and sections as (encoded) HTML. No MVC, no sign-in, no Markdown.
/// </summary>
public sealed class BareEndpoint : IAsyncDisposable
{
    private readonly WebApplication app;

    private BareEndpoint(WebApplication app, int port)
    {
        this.app = app;
        BaseUrl = $"http://127.0.0.1:{port}";
    }

    public string BaseUrl { get; }

    public static async Task<BareEndpoint> StartAsync(string connection)
    {
        var port = PortalProcess.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        // Prepared as the app prepares its statements (Portal.Web.Data.PortalDataSource), so the comparison is fair.
        builder.Services.AddSingleton(_ => Portal.Web.Data.PortalDataSource.Build(connection));
        var app = builder.Build();
        app.MapGet("/circulars/{id:guid}", async (Guid id, NpgsqlDataSource db, HttpContext context) =>
        {
            await using var cmd = db.CreateCommand("""
                SELECT r.title, r.summary, r.background, r.risk_assessment, r.impact, r.required_actions, r."references"
                FROM circulars c JOIN circular_revisions r ON r.id = c.current_revision_id WHERE c.id = $1
                """);
            cmd.Parameters.Add(new NpgsqlParameter { Value = id });
            await using var reader = await cmd.ExecuteReaderAsync();
            if (!await reader.ReadAsync())
            {
                context.Response.StatusCode = 404;
                return;
            }
            var html = HtmlEncoder.Default;
            var page = new System.Text.StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>");
            page.Append(html.Encode(reader.GetString(0))).Append("</title></head><body><h1>").Append(html.Encode(reader.GetString(0))).Append("</h1>");
            string[] headings = ["Summary", "Background", "Risk assessment", "Impact", "Required actions", "References"];
            for (var i = 0; i < headings.Length; i++)
                page.Append("<section><h2>").Append(headings[i]).Append("</h2><p>").Append(html.Encode(reader.GetString(i + 1))).Append("</p></section>");
            page.Append("</body></html>");
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync(page.ToString());
        });
        await app.StartAsync();
        return new BareEndpoint(app, port);
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
