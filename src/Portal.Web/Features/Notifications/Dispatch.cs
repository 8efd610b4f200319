using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Web.Data;
using Portal.Web.Domain;
using Mediator;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Telemetry;

namespace Portal.Web.Features.Notifications;

/// <summary>
/// Works off due e-mail and SMS notifications: each is claimed with FOR UPDATE SKIP LOCKED, sent, and its
/// attempt and new state committed, in one short transaction per notification that holds the row lock
/// while the message is sent, so no other worker or instance can send it at the same time and a sent
/// message is never left looking unsent except by a crash between the server's acceptance and the commit
/// (docs/decisions/0005-notification-dispatch.md).
/// </summary>
public static class Dispatch
{
    /// <summary>
    /// An <see cref="IRequest{T}"/>, not an <see cref="ICommand{T}"/>: the transaction behaviour would wrap
    /// the whole batch in one transaction, so one failure late in a batch would roll back the record of
    /// messages already sent. The handler opens a transaction per notification instead.
    /// </summary>
    public sealed record Command(int BatchSize) : IRequest<Result>;

    /// <summary>How many notifications were worked (<see cref="Claimed"/>) and what became of them.</summary>
    public sealed record Result(int Claimed, int Sent, int Retried, int Failed, int Bounced);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.BatchSize).InclusiveBetween(1, 10_000);
    }

    /// <summary>
    /// Runs <see cref="DispatchOptions.Concurrency"/> workers, each with its own scope, DbContext and
    /// connection. Cancelling stops them taking new notifications; the one each is sending is finished.
    /// </summary>
    internal sealed class Handler(IServiceScopeFactory scopes, IOptions<DispatchOptions> options) : IRequestHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command request, CancellationToken ct)
        {
            var tally = new Tally(request.BatchSize);
            var workers = Math.Min(options.Value.Concurrency, request.BatchSize);
            await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => WorkAsync(tally, ct)));
            return tally.ToResult();
        }

        private async Task WorkAsync(Tally tally, CancellationToken ct)
        {
            await Task.Yield();
            await using var scope = scopes.CreateAsyncScope();
            var delivery = scope.ServiceProvider.GetRequiredService<NotificationDelivery>();
            try
            {
                while (!ct.IsCancellationRequested && tally.TryTake())
                {
                    var outcome = await delivery.DeliverNextAsync(ct);
                    if (outcome is null)
                        return;
                    tally.Add(outcome.Value);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Cancelled while waiting for the database, before claiming anything: nothing to undo.
            }
        }
    }

    private sealed class Tally(int batchSize)
    {
        private int _left = batchSize;
        private int _claimed, _sent, _retried, _failed, _bounced;

        public bool TryTake() => Interlocked.Decrement(ref _left) >= 0;

        public void Add(SendOutcome outcome)
        {
            Interlocked.Increment(ref _claimed);
            switch (outcome)
            {
                case SendOutcome.Sent: Interlocked.Increment(ref _sent); break;
                case SendOutcome.Retry: Interlocked.Increment(ref _retried); break;
                case SendOutcome.Bounced: Interlocked.Increment(ref _bounced); break;
                default: Interlocked.Increment(ref _failed); break;
            }
        }

        public Result ToResult() => new(_claimed, _sent, _retried, _failed, _bounced);
    }
}

/// <summary>One notification, one transaction: claim, send, record. Used by one dispatch worker at a time.</summary>
internal sealed class NotificationDelivery(
    PortalDbContext db, IMediator mediator, MessageComposer composer, IEmailSender email, ISmsSender sms,
    TimeProvider clock, IOptions<DispatchOptions> options, ILogger<NotificationDelivery> logger, Staleness.DigestMessages digests,
    VendorMembership.EscalationMessages escalations)
{
    // Published revisions are immutable, so a worker may keep them for its whole batch.
    private readonly Dictionary<(Guid, int), CircularRevision?> _revisions = [];

    /// <summary>Sends the next due notification, or answers null when none is due (or all due ones are taken by other workers).</summary>
    public async Task<SendOutcome?> DeliverNextAsync(CancellationToken stopping)
    {
        db.ChangeTracker.Clear();
        await using var tx = await db.Database.BeginTransactionAsync(stopping);
        var now = clock.GetUtcNow();
        var claimed = await db.Notifications.FromSql($"""
            SELECT * FROM notifications
            WHERE state = 'Pending' AND channel IN ('Email', 'Sms') AND next_attempt_at <= {now}
            ORDER BY next_attempt_at
            LIMIT 1
            FOR UPDATE SKIP LOCKED
            """).ToListAsync(stopping);
        if (claimed is not [var notification])
            return null;

        // Claimed. From here to the commit nothing listens to the stopping token: a shutdown lets this one
        // message finish and be recorded, rather than leaving it sent at the server but Pending here.
        notification.CountAttempt();
        var result = await SendAsync(notification);
        var at = clock.GetUtcNow();
        var o = options.Value;
        var detail = result.Detail;
        if (result.Outcome == SendOutcome.Retry && notification.Attempts >= o.MaxAttempts)
            detail += $" Gave up after {notification.Attempts} attempts.";
        switch (result.Outcome)
        {
            case SendOutcome.Sent:
                notification.Delivered(at);
                break;
            default:
                notification.AttemptFailed(at, detail, permanent: result.Outcome == SendOutcome.Failed,
                    bounced: result.Outcome == SendOutcome.Bounced, o.MaxAttempts, TimeSpan.FromSeconds(o.BaseDelaySeconds));
                break;
        }
        var outcome = result.Outcome == SendOutcome.Retry && notification.State == NotificationState.Failed ? SendOutcome.Failed : result.Outcome;
        db.NotificationAttempts.Add(NotificationAttempt.Record(notification.Id, at, outcome.ToString(), detail));
        await db.SaveChangesAsync(CancellationToken.None);
        await tx.CommitAsync(CancellationToken.None);
        PortalTelemetry.NotificationOutcome(notification.Channel, outcome);

        // One line per message would flood the log at scale; the dispatcher logs a summary per batch, and the attempts table holds each detail.
        logger.LogDebug("Notification {NotificationId} ({Channel}) {Outcome}: {Detail}", notification.Id, notification.Channel, outcome, detail);
        return outcome;
    }

    private async Task<SendResult> SendAsync(Notification n)
    {
        // Sends are bounded by the senders' own timeouts, not by shutdown (see DeliverNextAsync).
        try
        {
            if (n.Purpose == NotificationPurpose.StaleDigest)
                return await SendDigestAsync(n);
            if (n.Purpose == NotificationPurpose.MembershipEscalation)
                return await SendEscalationAsync(n);
            if (n.CircularId is not { } circularId)
                return SendResult.Failed("The notification names no circular.");
            var revision = await RevisionAsync(circularId, n.RevisionNumber);
            if (revision is null)
                return SendResult.Failed($"Revision {n.RevisionNumber} of circular {circularId} does not exist.");
            var status = await db.Circulars.Where(c => c.Id == circularId).Select(c => c.Status).SingleAsync(CancellationToken.None);
            if (status == CircularStatus.Withdrawn)
                return SendResult.Failed("The circular was withdrawn before this message went out.");
            // Re-checked when claimed, whatever was true when it was queued: a family member removed or no
            // longer consenting is not written to, and one whose address changed is written to at the new one.
            if (n.DependentId is { } dependentId)
            {
                var now = await db.Dependents.AsNoTracking().Where(d => d.Id == dependentId)
                    .Select(d => new { d.ConsentToContact, d.Email, d.MobileNumber }).FirstOrDefaultAsync(CancellationToken.None);
                if (now is null)
                    return SendResult.Failed("Not sent: the family member was removed.");
                if (!now.ConsentToContact)
                    return SendResult.Failed("Not sent: the family member withdrew consent to be contacted.");
                var current = n.Channel == NotificationChannel.Email ? now.Email : now.MobileNumber;
                if (string.IsNullOrWhiteSpace(current))
                    return SendResult.Failed($"Not sent: the family member no longer has {(n.Channel == NotificationChannel.Email ? "an e-mail address" : "a mobile number")}.");
                if (current != n.Address)
                    n.Readdress(current);
            }
            var facts = await FactsAsync(n, circularId);
            switch (n.Channel)
            {
                case NotificationChannel.Email:
                    if (!Addresses.TryEmail(n.Address, out var mailbox, out var mailError))
                        return SendResult.Failed(mailError);
                    var content = await composer.EmailAsync(n, revision, facts);
                    return await email.SendAsync(new EmailMessage(mailbox, content.Subject, content.Text, content.Html, composer.MessageId(n)), CancellationToken.None);
                case NotificationChannel.Sms:
                    if (!Addresses.TryMobile(n.Address, out var number, out var numberError))
                        return SendResult.Failed(numberError);
                    return await sms.SendAsync(number, composer.Sms(n, revision, facts), CancellationToken.None);
                default:
                    return SendResult.Failed($"{n.Channel} notifications are not dispatched.");
            }
        }
        catch (Exception ex) when (ex is not System.Data.Common.DbException)
        {
            // A message that cannot be written (a bug, data it needs gone missing) is retried, then given up,
            // rather than failing every batch it comes first in. Database errors end the batch: the transaction is lost.
            logger.LogError(ex, "Notification {NotificationId} could not be sent", n.Id);
            return SendResult.Retry($"Could not prepare or send the message: {ex.Message}");
        }
    }

    /// <summary>The daily digest of stale circulars names no circular: it is written from what is stale when it is sent.</summary>
    private async Task<SendResult> SendDigestAsync(Notification n)
    {
        if (!Addresses.TryEmail(n.Address, out var mailbox, out var mailError))
            return SendResult.Failed(mailError);
        if (await digests.ComposeAsync(n) is not { } content)
            return SendResult.Failed("Not sent: no circular is stale any more.");
        return await email.SendAsync(new EmailMessage(mailbox, content.Subject, content.Text, content.Html, composer.MessageId(n)), CancellationToken.None);
    }

    /// <summary>Membership escalations name no circular either: written from the requests still waiting when sent.</summary>
    private async Task<SendResult> SendEscalationAsync(Notification n)
    {
        if (!Addresses.TryEmail(n.Address, out var mailbox, out var mailError))
            return SendResult.Failed(mailError);
        if (await escalations.ComposeAsync(n) is not { } content)
            return SendResult.Failed("Not sent: every escalated membership request was answered or expired meanwhile.");
        return await email.SendAsync(new EmailMessage(mailbox, content.Subject, content.Text, content.Html, composer.MessageId(n)), CancellationToken.None);
    }

    private async Task<CircularRevision?> RevisionAsync(Guid circularId, int number)
    {
        if (!_revisions.TryGetValue((circularId, number), out var revision))
        {
            revision = await db.CircularRevisions.AsNoTracking()
                .SingleOrDefaultAsync(r => r.CircularId == circularId && r.Number == number, CancellationToken.None);
            _revisions[(circularId, number)] = revision;
        }
        return revision;
    }

    private async Task<MessageFacts> FactsAsync(Notification n, Guid circularId)
    {
        if (n.DependentId is { } dependentId)
        {
            var asked = await db.AcknowledgementRequests
                .Where(a => a.CircularId == circularId && a.DependentId == dependentId && a.RevisionNumber <= n.RevisionNumber)
                .MaxAsync(a => (int?)a.RevisionNumber, CancellationToken.None);
            return new MessageFacts(AskedRevision: asked);
        }
        if (n.Purpose == NotificationPurpose.ExemptionExpired && n.DeviceId is { } deviceId)
        {
            var device = await db.Devices.AsNoTracking().Where(d => d.Id == deviceId)
                .Select(d => new
                {
                    d.Imei, d.ManufacturerName, d.Model,
                    Staff = db.StaffMembers.Where(s => s.Id == d.StaffMemberId).Select(s => new { s.FullName, Unit = s.Unit!.Name }).First(),
                    Family = db.Dependents.Where(x => x.Id == d.DependentId).Select(x => x.FullName).FirstOrDefault(),
                })
                .SingleOrDefaultAsync(CancellationToken.None);
            if (device is not null)
                return new MessageFacts(Device: new ExemptedDevice(Imeis.Mask(device.Imei), $"{device.ManufacturerName} {device.Model}",
                    device.Family is null ? device.Staff.FullName : $"{device.Family} ({device.Staff.FullName})", device.Staff.Unit));
        }
        if (n.Purpose == NotificationPurpose.Escalation)
        {
            var unitId = n.UnitId;
            if (unitId is null && n.UserId is { } userId)
                unitId = await db.Users.Where(u => u.Id == userId).Select(u => u.UnitId).SingleOrDefaultAsync(CancellationToken.None);
            if (unitId is { } unit)
                return new MessageFacts(Outstanding: await mediator.Send(
                    new Outstanding.Query(circularId, unit, MessageComposer.EscalationListLength), CancellationToken.None));
        }
        return MessageFacts.None;
    }
}
