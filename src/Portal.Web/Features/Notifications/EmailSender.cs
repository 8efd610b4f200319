using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using Portal.Web.Infrastructure.Startup;

namespace Portal.Web.Features.Notifications;

/// <summary>One message to one recipient, with a plain-text body and an HTML alternative.</summary>
public sealed record EmailMessage(string To, string Subject, string Text, string Html, string MessageId);

/// <summary>Scoped: every dispatch worker has its own scope, so its messages share one SMTP session.</summary>
public interface IEmailSender
{
    /// <summary>Never throws for a delivery problem: the outcome says whether to retry.</summary>
    Task<SendResult> SendAsync(EmailMessage message, CancellationToken ct);
}

/// <summary>
/// SMTP through MailKit. The connection is opened for the first message of the scope (a dispatch worker's
/// batch), reused for the next ones and closed with QUIT when the scope ends. A session the server dropped
/// between messages is reopened, and the message tried once more on the new one, but only when not one byte
/// of it had been written: a message cut off during DATA may have been accepted, so it is left to the
/// dispatcher's retry under the same Message-ID rather than sent again at once.
/// A 5xx answer to the recipient is a bounce; 4xx answers, 5xx answers to anything else (authentication, the
/// sender, the content: more likely our configuration than the recipient), refused or dropped connections and
/// timeouts are retried (docs/decisions/0012-mailkit.md).
/// </summary>
internal sealed class SmtpEmailSender(IOptions<PortalOptions> options, ILogger<SmtpEmailSender> logger) : IEmailSender, IAsyncDisposable
{
    private readonly SmtpOptions _smtp = options.Value.Smtp;
    private SmtpClient? _client;

    private string Server => $"{_smtp.Host}:{_smtp.Port}";

    public async Task<SendResult> SendAsync(EmailMessage message, CancellationToken ct)
    {
        using var mime = Compose(message);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(_smtp.TimeoutSeconds));
        try
        {
            var reused = _client is { IsConnected: true };
            var progress = new Progress();
            try
            {
                var client = await ConnectedAsync(timeout.Token);
                await client.SendAsync(mime, timeout.Token, progress);
            }
            catch (Exception ex) when (reused && progress.Written == 0 && IsLostConnection(ex))
            {
                // The server closed the idle session (a restart, an idle timeout, a limit on messages per
                // connection). Nothing of this message reached it: a new session may send it.
                logger.LogDebug("{Server} dropped the SMTP session ({Reason}); reconnecting", Server, ex.Message);
                await DropAsync();
                progress = new Progress();
                var client = await ConnectedAsync(timeout.Token);
                await client.SendAsync(mime, timeout.Token, progress);
            }
            return SendResult.Sent($"Accepted by {Server}.");
        }
        catch (SmtpCommandException ex) when (ex.ErrorCode == SmtpErrorCode.RecipientNotAccepted && (int)ex.StatusCode is >= 500 and < 600)
        {
            return SendResult.Bounced($"{Server} refused {ex.Mailbox?.Address ?? message.To}: {(int)ex.StatusCode} {ex.Message}");
        }
        catch (SmtpCommandException ex)
        {
            // MailKit has reset the transaction (RSET); the session stays usable for the next message.
            return SendResult.Retry($"{Server}: {(int)ex.StatusCode} {ex.Message}");
        }
        catch (ServiceNotAuthenticatedException ex)
        {
            return SendResult.Retry($"{Server} asks the portal to sign in ({ex.Message}): set Portal:Smtp:UserName and Password.");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            await DropAsync();
            return SendResult.Retry($"{Server} did not answer within {_smtp.TimeoutSeconds} s.");
        }
        catch (Exception ex) when (IsLostConnection(ex) || ex is TimeoutException or SslHandshakeException or AuthenticationException or System.Security.Authentication.AuthenticationException)
        {
            await DropAsync();
            return SendResult.Retry($"{Server}: {ex.Message}");
        }
    }

    private MimeMessage Compose(EmailMessage message)
    {
        var mime = new MimeMessage
        {
            Subject = message.Subject,
            // The same id on every attempt of one notification lets a receiver drop a copy re-sent after a crash.
            MessageId = message.MessageId.Trim('<', '>'),
            Body = new BodyBuilder { TextBody = message.Text, HtmlBody = message.Html }.ToMessageBody(),
        };
        mime.From.Add(MailboxAddress.Parse(_smtp.From));
        mime.To.Add(MailboxAddress.Parse(message.To));
        mime.Headers.Add("Auto-Submitted", "auto-generated");
        return mime;
    }

    private async Task<SmtpClient> ConnectedAsync(CancellationToken ct)
    {
        if (_client is { IsConnected: true } open)
            return open;
        await DropAsync();
        var client = new SmtpClient { Timeout = _smtp.TimeoutSeconds * 1000 };
        _client = client;
        var security = _smtp.Security switch
        {
            SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
            SmtpSecurity.Implicit => SecureSocketOptions.SslOnConnect,
            _ => SecureSocketOptions.None,
        };
        await client.ConnectAsync(_smtp.Host, _smtp.Port, security, ct);
        if (!string.IsNullOrEmpty(_smtp.UserName))
            await client.AuthenticateAsync(_smtp.UserName, _smtp.Password ?? "", ct);
        return client;
    }

    private static bool IsLostConnection(Exception ex) =>
        ex is SmtpProtocolException or ServiceNotConnectedException or IOException or System.Net.Sockets.SocketException;

    /// <summary>Forgets the session without a word to the server (it is gone, or in an unknown state).</summary>
    private async Task DropAsync()
    {
        if (_client is not { } client)
            return;
        _client = null;
        try
        {
            if (client.IsConnected)
                await client.DisconnectAsync(quit: false, CancellationToken.None);
        }
        catch (Exception ex) when (IsLostConnection(ex))
        {
        }
        client.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        if (_client is not { } client)
            return;
        _client = null;
        try
        {
            if (client.IsConnected)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(_smtp.TimeoutSeconds));
                await client.DisconnectAsync(quit: true, timeout.Token);
            }
        }
        catch (Exception ex) when (IsLostConnection(ex) || ex is OperationCanceledException or SmtpCommandException)
        {
            // Every message was already accepted or refused; a QUIT that fails changes nothing.
        }
        client.Dispose();
    }

    /// <summary>How much of the message has been written towards the server.</summary>
    private sealed class Progress : ITransferProgress
    {
        public long Written { get; private set; }
        public void Report(long bytesTransferred, long totalSize) => Written = bytesTransferred;
        public void Report(long bytesTransferred) => Written = bytesTransferred;
    }
}
