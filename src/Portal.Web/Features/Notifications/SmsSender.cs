using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.Options;

namespace Portal.Web.Features.Notifications;

public interface ISmsSender
{
    /// <summary>Never throws for a delivery problem: the outcome says whether to retry.</summary>
    Task<SendResult> SendAsync(string to, string text, CancellationToken ct);
}

/// <summary>
/// An HTTP SMS gateway: POST {"to", "text"} as JSON. 2xx is sent; 408 and 429 (try later), 5xx, refused
/// connections and timeouts are retried; any other 4xx is the gateway refusing this message for good.
/// </summary>
internal sealed class HttpSmsSender(HttpClient http, IOptions<SmsOptions> options) : ISmsSender
{
    public async Task<SendResult> SendAsync(string to, string text, CancellationToken ct)
    {
        var sms = options.Value;
        if (string.IsNullOrWhiteSpace(sms.GatewayUrl))
            return SendResult.Failed("No SMS gateway is configured (Portal:Sms:GatewayUrl).");

        using var request = new HttpRequestMessage(HttpMethod.Post, sms.GatewayUrl) { Content = JsonContent.Create(new { to, text }) };
        if (!string.IsNullOrEmpty(sms.ApiKey))
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", sms.ApiKey);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(sms.TimeoutSeconds));
        try
        {
            using var response = await http.SendAsync(request, timeout.Token);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
                return SendResult.Sent($"Gateway answered {status}.");
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            var detail = $"Gateway answered {status} {response.ReasonPhrase}{(body.Length > 0 ? ": " + Excerpt(body) : "")}";
            return response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || status >= 500
                ? SendResult.Retry(detail)
                : SendResult.Failed(detail);
        }
        catch (HttpRequestException ex)
        {
            return SendResult.Retry($"Gateway unreachable: {ex.Message}");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return SendResult.Retry($"Gateway did not answer within {sms.TimeoutSeconds} s.");
        }
    }

    private static string Excerpt(string body)
    {
        var line = body.ReplaceLineEndings(" ").Trim();
        return line.Length > 200 ? line[..200] + "…" : line;
    }
}
