using System.Threading.Channels;
using Npgsql;
using NpgsqlTypes;
using Portal.Web.Data;

namespace Portal.Web.Features.Acknowledgements;

/// <summary>
/// Family acknowledgements arriving together are written together: one UPDATE of all waiting links and one
/// commit, instead of a transaction and a WAL flush each (docs/decisions/0060-circular-page-and-acknowledgement-storm.md).
/// A request is answered only after the batch holding its acknowledgement has committed, so an answered
/// acknowledgement is durable, and one whose batch never committed (the app was killed) was never answered.
/// One writer per instance: batches never wait on each other's tally rows, and cannot deadlock on them. It has
/// its own small connection pool, so requests holding the app's connections cannot starve it.
/// </summary>
public sealed class AcknowledgementBatches : IAsyncDisposable
{
    public const int MaxBatch = 500;

    private sealed record Item(FamilyLinks.Claim Claim, DateTimeOffset At, TaskCompletionSource<bool> Done);

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
    public Task<bool> FamilyAsync(FamilyLinks.Claim claim, DateTimeOffset at)
    {
        var item = new Item(claim, at, new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
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
                    item.Done.TrySetResult(acknowledged.Contains((item.Claim.CircularId, item.Claim.RevisionNumber, item.Claim.DependentId)));
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "A batch of {Count} family acknowledgements failed", batch.Count);
                foreach (var item in batch)
                    item.Done.TrySetException(ex);
            }
            batch.Clear();
        }
    }

    /// <summary>
    /// The same rule as one link at a time: only the latest request of the dependent, only while the circular is
    /// published (or superseded), only once; recorded against the circular's current revision.
    /// </summary>
    private async Task<HashSet<(Guid, int, Guid)>> WriteBatchAsync(List<Item> batch)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await using var update = new NpgsqlCommand("""
            UPDATE acknowledgement_requests a
            SET acknowledged_at = k.at, acknowledged_revision = c.current_revision_number, channel = 'FamilyLink'
            FROM unnest($1::uuid[], $2::integer[], $3::uuid[], $4::timestamptz[]) AS k(circular_id, revision_number, dependent_id, at), circulars c
            WHERE a.circular_id = k.circular_id AND a.revision_number = k.revision_number AND a.dependent_id = k.dependent_id
              AND c.id = a.circular_id AND c.status IN ('Published', 'Superseded')
              AND a.acknowledged_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM acknowledgement_requests later
                              WHERE later.circular_id = a.circular_id AND later.dependent_id = a.dependent_id AND later.revision_number > a.revision_number)
            RETURNING a.circular_id, a.revision_number, a.dependent_id
            """, connection, tx)
        {
            Parameters =
            {
                new() { Value = batch.Select(i => i.Claim.CircularId).ToArray() },
                new() { Value = batch.Select(i => i.Claim.RevisionNumber).ToArray() },
                new() { Value = batch.Select(i => i.Claim.DependentId).ToArray() },
                new() { Value = batch.Select(i => i.At).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz },
            },
        };
        var acknowledged = new HashSet<(Guid, int, Guid)>();
        await using (var reader = await update.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                acknowledged.Add((reader.GetGuid(0), reader.GetInt32(1), reader.GetGuid(2)));
        await tx.CommitAsync();
        return acknowledged;
    }

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
