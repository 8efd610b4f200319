using System.Threading.Channels;
using Npgsql;
using NpgsqlTypes;
using Portal.Web.Data;

namespace Portal.Web.Features.Acknowledgements;

/// <summary>
/// Acknowledgements arriving together are written together: one UPDATE of all waiting family links, one of all
/// waiting staff clicks, and one commit, instead of a transaction and a WAL flush each
/// (docs/decisions/0060-circular-page-and-acknowledgement-storm.md, 0061-acknowledgement-storm-and-dashboards-at-full-scale.md).
/// A request is answered only after the batch holding its acknowledgement has committed, so an answered
/// acknowledgement is durable, and one whose batch never committed (the app was killed) was never answered.
/// One writer per instance: batches never wait on each other's tally rows, and cannot deadlock on them. It has
/// its own small connection pool, so requests holding the app's connections cannot starve it.
/// </summary>
public sealed class AcknowledgementBatches : IAsyncDisposable
{
    public const int MaxBatch = 500;

    /// <summary>A family link (who: the dependent; revision: the one the link asked) or a staff click (who: the user; revision: the one read).</summary>
    private sealed record Item(bool Staff, Guid CircularId, int Revision, Guid Who, DateTimeOffset At, TaskCompletionSource<bool> Done);

    private readonly Channel<Item> queue = Channel.CreateUnbounded<Item>(new UnboundedChannelOptions { SingleReader = true });
    private readonly NpgsqlDataSource dataSource;
    private readonly ILogger<AcknowledgementBatches> logger;
    private readonly Task writer;

    public AcknowledgementBatches(IConfiguration configuration, ILogger<AcknowledgementBatches> logger)
    {
        var connection = new NpgsqlConnectionStringBuilder(configuration.GetConnectionString("Portal")) { MaxPoolSize = 2 };
        dataSource = PortalDataSource.Build(connection.ConnectionString);
        this.logger = logger;
        writer = Task.Run(WriteAsync);
    }

    /// <summary>True when this link's request was acknowledged now; false when there was nothing to acknowledge.</summary>
    public Task<bool> FamilyAsync(FamilyLinks.Claim claim, DateTimeOffset at) =>
        Enqueue(new Item(false, claim.CircularId, claim.RevisionNumber, claim.DependentId, at, NewDone()));

    /// <summary>
    /// True when the staff member's request answered by having read <paramref name="read"/> was acknowledged now;
    /// false when nothing was (not asked, another revision, already acknowledged): the caller says why.
    /// </summary>
    public Task<bool> StaffAsync(Guid circularId, Guid userId, int read, DateTimeOffset at) =>
        Enqueue(new Item(true, circularId, read, userId, at, NewDone()));

    private static TaskCompletionSource<bool> NewDone() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Task<bool> Enqueue(Item item)
    {
        if (!queue.Writer.TryWrite(item))
            throw new ObjectDisposedException(nameof(AcknowledgementBatches));
        return item.Done.Task;
    }

    private async Task WriteAsync()
    {
        var batch = new List<Item>(MaxBatch);
        while (await queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && queue.Reader.TryRead(out var item))
                batch.Add(item);
            try
            {
                var acknowledged = await WriteBatchAsync(batch);
                foreach (var item in batch)
                    item.Done.TrySetResult(acknowledged.Contains((item.Staff, item.CircularId, item.Revision, item.Who)));
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "A batch of {Count} acknowledgements failed", batch.Count);
                foreach (var item in batch)
                    item.Done.TrySetException(ex);
            }
            batch.Clear();
        }
    }

    private async Task<HashSet<(bool, Guid, int, Guid)>> WriteBatchAsync(List<Item> batch)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var acknowledged = new HashSet<(bool, Guid, int, Guid)>();
        foreach (var staff in new[] { false, true })
        {
            var items = batch.Where(i => i.Staff == staff).ToList();
            if (items.Count == 0)
                continue;
            await using var update = new NpgsqlCommand(staff ? StaffUpdate : FamilyUpdate, connection, tx)
            {
                Parameters =
                {
                    new() { Value = items.Select(i => i.CircularId).ToArray() },
                    new() { Value = items.Select(i => i.Revision).ToArray() },
                    new() { Value = items.Select(i => i.Who).ToArray() },
                    new() { Value = items.Select(i => i.At).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz },
                },
            };
            await using var reader = await update.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                acknowledged.Add((staff, reader.GetGuid(0), reader.GetInt32(1), reader.GetGuid(2)));
        }
        await tx.CommitAsync();
        return acknowledged;
    }

    /// <summary>
    /// The same rule as one link at a time: only the latest request of the dependent, only while the circular is
    /// published (or superseded), only once; recorded against the circular's current revision.
    /// </summary>
    private const string FamilyUpdate = """
        UPDATE acknowledgement_requests a
        SET acknowledged_at = k.at, acknowledged_revision = c.current_revision_number, channel = 'FamilyLink'
        FROM unnest($1::uuid[], $2::integer[], $3::uuid[], $4::timestamptz[]) AS k(circular_id, revision_number, dependent_id, at), circulars c
        WHERE a.circular_id = k.circular_id AND a.revision_number = k.revision_number AND a.dependent_id = k.dependent_id
          AND c.id = a.circular_id AND c.status IN ('Published', 'Superseded')
          AND a.acknowledged_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM acknowledgement_requests later
                          WHERE later.circular_id = a.circular_id AND later.dependent_id = a.dependent_id AND later.revision_number > a.revision_number)
        RETURNING a.circular_id, a.revision_number, a.dependent_id
        """;

    /// <summary>
    /// The same rule as the staff member's click (Acknowledge.cs): the request answered is the latest one asked at or
    /// before the revision read, and only while that revision is still current, checked inside the statement, so a
    /// material amendment published meanwhile is never answered by having read the old revision.
    /// </summary>
    private const string StaffUpdate = """
        UPDATE acknowledgement_requests a
        SET acknowledged_at = k.at, acknowledged_revision = k.read, channel = 'Portal'
        FROM unnest($1::uuid[], $2::integer[], $3::uuid[], $4::timestamptz[]) AS k(circular_id, read, user_id, at)
             JOIN staff_members s ON s.user_id = k.user_id
             JOIN circulars c ON c.id = k.circular_id
        WHERE a.id = (SELECT x.id FROM acknowledgement_requests x
                      WHERE x.circular_id = k.circular_id AND x.staff_member_id = s.id AND x.dependent_id IS NULL
                        AND x.revision_number <= k.read
                      ORDER BY x.revision_number DESC LIMIT 1)
          AND a.acknowledged_at IS NULL
          AND c.current_revision_id IS NOT NULL AND c.current_revision_number = k.read
        RETURNING k.circular_id, k.read, k.user_id
        """;

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await writer;
        await dataSource.DisposeAsync();
    }
}

public static class AcknowledgementBatchesRegistration
{
    public static IServiceCollection AddPortalAcknowledgementBatches(this IServiceCollection services) =>
        services.AddSingleton<AcknowledgementBatches>();
}
