using System.Net;
using System.Net.Mail;
using System.Net.Mime;
using System.Text;
using Microsoft.Extensions.Options;
using Portal.Web.Infrastructure.Startup;

namespace Portal.Web.Features.Notifications;

/// <summary>One message to one recipient, with a plain-text body and an HTML alternative.</summary>
public sealed record EmailMessage(string To, string Subject, string Text, string Html, string MessageId);

public interface IEmailSender
{
    /// <summary>Never throws for a delivery problem: the outcome says whether to retry.</summary>
    Task<SendResult> SendAsync(EmailMessage message, CancellationToken ct);
}

/// <summary>
/// SMTP through System.Net.Mail (MailKit does not restore here). A 5xx answer to the recipient is a
/// bounce; 4xx answers, 5xx answers to anything else (authentication, the sender, the content: more
/// likely our configuration than the recipient), refused connections and timeouts are retried.
/// STARTTLS only: System.Net.Mail cannot speak implicit TLS (port 465).
/// </summary>
internal sealed class SmtpEmailSender(IOptions<PortalOptions> options) : IEmailSender
{
    public async Task<SendResult> SendAsync(EmailMessage message, CancellationToken ct)
    {
        var smtp = options.Value.Smtp;
        using var mail = new MailMessage
        {
            From = new MailAddress(smtp.From),
            Subject = message.Subject,
            SubjectEncoding = Encoding.UTF8,
            HeadersEncoding = Encoding.UTF8,
            Body = message.Text.ReplaceLineEndings("\r\n"),
            BodyEncoding = Encoding.UTF8,
            BodyTransferEncoding = TransferEncoding.Base64,
            IsBodyHtml = false,
        };
        // Base64 rather than quoted-printable: System.Net.Mail's quoted-printable writes line breaks as =0D=0A.
        mail.To.Add(new MailAddress(message.To));
        // The same id on every attempt of one notification lets a receiver drop a copy re-sent after a crash.
        mail.Headers.Add("Message-ID", message.MessageId);
        mail.Headers.Add("Auto-Submitted", "auto-generated");
        var html = AlternateView.CreateAlternateViewFromString(message.Html.ReplaceLineEndings("\r\n"), Encoding.UTF8, MediaTypeNames.Text.Html);
        html.TransferEncoding = TransferEncoding.Base64;
        mail.AlternateViews.Add(html);

        using var client = new SmtpClient(smtp.Host, smtp.Port)
        {
            EnableSsl = smtp.UseTls,
            DeliveryMethod = SmtpDeliveryMethod.Network,
            Timeout = smtp.TimeoutSeconds * 1000,
        };
        if (!string.IsNullOrEmpty(smtp.UserName))
            client.Credentials = new NetworkCredential(smtp.UserName, smtp.Password);

        // SmtpClient.Timeout only bounds the synchronous Send.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(smtp.TimeoutSeconds));
        var server = $"{smtp.Host}:{smtp.Port}";
        try
        {
            await client.SendMailAsync(mail, timeout.Token);
            return SendResult.Sent($"Accepted by {server}.");
        }
        catch (SmtpFailedRecipientException ex) when ((int)ex.StatusCode is >= 500 and < 600)
        {
            return SendResult.Bounced($"{server} refused {ex.FailedRecipient}: {(int)ex.StatusCode} {Describe(ex)}");
        }
        catch (SmtpException ex)
        {
            var code = ex.StatusCode == SmtpStatusCode.GeneralFailure ? "" : $"{(int)ex.StatusCode} ";
            return SendResult.Retry($"{server}: {code}{Describe(ex)}");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return SendResult.Retry($"{server} did not answer within {smtp.TimeoutSeconds} s.");
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or System.Security.Authentication.AuthenticationException)
        {
            return SendResult.Retry($"{server}: {ex.Message}");
        }
    }

    private static string Describe(Exception ex) =>
        ex.InnerException is { } inner && !ex.Message.Contains(inner.Message, StringComparison.Ordinal) ? $"{ex.Message} ({inner.Message})" : ex.Message;
}
