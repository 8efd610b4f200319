using System.Text.Json;
using Mediator;
using Portal.Web.Data;
using Portal.Web.Infrastructure.Pipeline;
using Portal.Web.Infrastructure.Storage;
using Portal.Web.Infrastructure.Auth;

namespace Portal.Web.Features.Evidence;

/// <summary>
/// A file, already streamed to a temporary file, hashed and recognised (<see cref="ContentStore.ReceiveAsync"/>),
/// joins an evidence record: the bytes move into the store and the row and the custody entry are saved
/// together. If saving fails, bytes this upload newly stored are removed again.
/// </summary>
public static class AttachFile
{
    public sealed record Command : EvidenceChange, ICommand<string>
    {
        public required string FileName { get; init; }
        public required ReceivedFile File { get; init; }
    }

    internal sealed class Handler(ICurrentUser user, PortalDbContext db, TimeProvider clock, ContentStore store) : ICommandHandler<Command, string>
    {
        public async ValueTask<string> Handle(Command request, CancellationToken ct)
        {
            var now = clock.GetUtcNow();
            await db.EnsureCircularEditableAsync(request.CircularId, ct);
            var evidence = await db.LoadEvidenceForChangeAsync(request.CircularId, request.EvidenceId, request.Version, ct);
            var name = FileNames.Clean(request.FileName);
            var received = request.File;
            var file = evidence.AttachFile(name, received.Sha256, received.Length, received.Type.ContentType, user.Id, now);
            db.Custody(evidence.Id, "EvidenceFileUploaded", user.Id, now, name,
                JsonSerializer.Serialize(new { file = file.Id, sha256 = file.Sha256, length = file.Length, contentType = file.ContentType, givenName = request.FileName }));
            var isNew = received.Keep();
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch when (isNew)
            {
                store.Forget(received.Sha256);
                throw;
            }
            return name;
        }
    }
}
