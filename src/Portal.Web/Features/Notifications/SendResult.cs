namespace Portal.Web.Features.Notifications;

/// <summary>What a channel made of one message. Retry is temporary (backoff, then Failed after the last attempt); Failed and Bounced are final.</summary>
public enum SendOutcome { Sent, Retry, Failed, Bounced }

public sealed record SendResult(SendOutcome Outcome, string Detail)
{
    public static SendResult Sent(string detail) => new(SendOutcome.Sent, detail);
    public static SendResult Retry(string detail) => new(SendOutcome.Retry, detail);
    public static SendResult Failed(string detail) => new(SendOutcome.Failed, detail);
    public static SendResult Bounced(string detail) => new(SendOutcome.Bounced, detail);
}
