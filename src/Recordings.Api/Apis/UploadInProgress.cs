using Recordings.Abstractions;

namespace Recordings.Api.Apis;

/// <summary>The API side of one upload: feeds an upload grain in order, keeping one chunk in flight while reading the next.</summary>
public sealed class UploadInProgress(IUploadGrain grain, ISessionGrain session)
{
    private bool finished;
    private UploadTicket? reservedTicket;

    public bool Started { get; private set; }

    public Task OpenAsync(UploadTicket? ticket)
    {
        Started = true;
        reservedTicket = ticket;
        return grain.Open(ticket);
    }

    /// <summary>Sends the stream to the grain; returns the bytes read, stopping as soon as they pass <paramref name="maxBytes"/>.</summary>
    public Task<long> PumpAsync(Stream body, int chunkBytes, long maxBytes, CancellationToken cancellationToken) =>
        ChunkPump.PumpAsync(body, chunkBytes, maxBytes, grain.Write, cancellationToken);

    public async Task<UploadOutcome> CompleteAsync(UploadTicket ticket)
    {
        finished = true;
        return await grain.Complete(ticket);
    }

    /// <summary>Drops the upload and frees its reserved name; safe to call more than once or before it started.</summary>
    public async Task AbortAsync()
    {
        if (finished || !Started)
        {
            return;
        }

        finished = true;
        await grain.Abort();
        if (reservedTicket is not null)
        {
            await session.Release(reservedTicket.Filename);
        }
    }
}
