using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Win32.SafeHandles;
using Recordings.Abstractions;
using Recordings.Supabase;

namespace Recordings.Grains.Resumable;

/// <summary>
/// Relays a fixed-length resumable upload's durable bytes, in Supabase's 6 MiB parts, to Supabase's own resumable
/// upload of the recording's final name, so that another silo can continue the upload when this one is gone. Every
/// call is bounded by the stall timeout; a failure costs the relay, never the upload (its bytes are in the spool).
/// </summary>
public sealed class SupabaseRelay(SupabaseStorageClient supabase, IOptions<RecordingsOptions> options, ILogger<SupabaseRelay> logger)
{
    /// <summary>After a failure the relay rests this long, so a stalled Supabase does not slow every PATCH.</summary>
    public static readonly TimeSpan RetryPause = TimeSpan.FromSeconds(30);

    private const long PartBytes = SupabaseStorageClient.ResumablePartBytes;

    /// <summary>
    /// Whether the upload is relayed: Supabase configured and a known length over one part (Supabase's tus needs the
    /// length at creation, so a deferred-length upload cannot be; a one-part file goes up whole at the end anyway).
    /// </summary>
    public bool Applies(ResumableUploadState upload) => supabase.IsConfigured && upload.Length > PartBytes;

    /// <summary>
    /// Sends every part Supabase lacks that the spool holds durably: whole parts, and the last, shorter part once every
    /// byte is in. Updates the relay's id and offset in <paramref name="upload"/> (the caller persists them).
    /// </summary>
    /// <returns>False when Supabase failed or ran out of time (logged); what it took stays counted.</returns>
    public async Task<bool> RelayAsync(string uploadId, ResumableUploadState upload, SafeFileHandle spool, CancellationToken cancellationToken)
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(options.Value.SupabaseStallTimeout);
        var ticket = upload.GetTicket()!;
        try
        {
            while (NextPartEnd(upload) is { } end)
            {
                upload.RelayUploadId ??= await supabase.CreateResumableUploadAsync(ticket.ObjectPath, upload.Length!.Value, ticket.ContentType, budget.Token);
                try
                {
                    upload.RelayedOffset = await supabase.AppendResumablePartAsync(upload.RelayUploadId, upload.RelayedOffset,
                        spool, upload.RelayedOffset - upload.SpoolStart, end - upload.RelayedOffset, budget.Token);
                }
                catch (SupabaseStorageException exception) when (exception.HttpStatus == 409)
                {
                    // A part arrived whose answer did not (or the state lags behind): Supabase's offset is the truth.
                    var actual = await supabase.GetResumableOffsetAsync(upload.RelayUploadId, budget.Token);
                    if (actual is not { } offset || offset == upload.RelayedOffset || offset > upload.Offset || offset < upload.SpoolStart)
                    {
                        throw;
                    }

                    upload.RelayedOffset = offset;
                }
                catch (SupabaseStorageException exception) when (exception.HttpStatus is 404 or 410 && upload.SpoolStart == 0)
                {
                    // Supabase forgot the upload (it expired): the whole spool is here, so start a new one next time.
                    (upload.RelayUploadId, upload.RelayedOffset) = (null, 0);
                    throw;
                }
            }

            return true;
        }
        catch (Exception exception) when (exception is SupabaseStorageException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            var reason = exception is OperationCanceledException
                ? $"no answer within {options.Value.SupabaseStallTimeout.TotalSeconds:0.#} s"
                : exception.Message;
            logger.LogWarning("Relaying upload {UploadId} to Supabase stopped at {Offset} of {Length} bytes: {Reason}; its bytes stay on this silo",
                uploadId, upload.RelayedOffset, upload.Length, reason);
            return false;
        }
    }

    /// <summary>
    /// How far Supabase holds the upload (a multiple of the part size, or the whole length), for a silo that takes it
    /// over; null when it cannot say (never relayed, unknown to Supabase, or out of reach within the stall timeout).
    /// </summary>
    public async Task<long?> RelayedOffsetAsync(string uploadId, ResumableUploadState upload, CancellationToken cancellationToken)
    {
        if (!supabase.IsConfigured || upload.RelayUploadId is null)
        {
            return null;
        }

        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(options.Value.SupabaseStallTimeout);
        try
        {
            return await supabase.GetResumableOffsetAsync(upload.RelayUploadId, budget.Token);
        }
        catch (Exception exception) when (exception is SupabaseStorageException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Upload {UploadId} cannot continue from Supabase, which did not answer its offset: {Reason}", uploadId, exception.Message);
            return null;
        }
    }

    /// <summary>The size and SHA-256 of the finished object, read back from Supabase; null when there is none.</summary>
    public async Task<(long Size, string Sha256)?> ReadBackAsync(UploadTicket ticket)
    {
        using var budget = new CancellationTokenSource(options.Value.GrainCallTimeout);
        return await supabase.HashObjectAsync(ticket.ObjectPath, budget.Token);
    }

    private static long? NextPartEnd(ResumableUploadState upload)
    {
        var length = upload.Length!.Value;
        var end = Math.Min(upload.RelayedOffset + PartBytes, length);
        return upload.RelayedOffset < length && end <= upload.Offset ? end : null;
    }
}
