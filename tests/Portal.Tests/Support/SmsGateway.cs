using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Portal.Tests.Support;

public sealed record SmsRequest(string To, string Text, string? Authorization, int AnsweredWith);

/// <summary>
/// A stand-in SMS gateway on a real loopback port (Kestrel): records every POST {"to", "text"} and
/// answers 202, or whatever status the test set for a number (or for all).
/// </summary>
public sealed class SmsGateway : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _answers = new();
    private readonly ConcurrentQueue<SmsRequest> _requests = new();
    private volatile int _answerForAll = StatusCodes.Status202Accepted;

    private SmsGateway(WebApplication app) => _app = app;

    public string Url { get; private set; } = "";
    public const string ApiKey = "test-sms-key";

    public IReadOnlyList<SmsRequest> Requests => _requests.ToList();

    public static async Task<SmsGateway> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var gateway = new SmsGateway(app);
        app.MapPost("/messages", async (HttpContext context) =>
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body);
            var to = body.RootElement.GetProperty("to").GetString()!;
            var status = gateway._answers.TryGetValue(to, out var answer) ? answer : gateway._answerForAll;
            gateway._requests.Enqueue(new SmsRequest(to, body.RootElement.GetProperty("text").GetString()!, context.Request.Headers.Authorization.ToString(), status));
            context.Response.StatusCode = status;
            await context.Response.WriteAsync(status < 300 ? "queued" : "refused by the stand-in gateway");
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        gateway.Url = address.TrimEnd('/') + "/messages";
        return gateway;
    }

    /// <summary>Forgets the requests received so far.</summary>
    public void Clear() => _requests.Clear();

    public void AnswerFor(string number, int status) => _answers[number] = status;

    public void AnswerAll(int status) => _answerForAll = status;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
