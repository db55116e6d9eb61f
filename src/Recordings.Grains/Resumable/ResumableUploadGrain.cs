using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Recordings.Abstractions;
using Recordings.Grains.Sessions;
using Recordings.Grains.Storage;
using Recordings.Grains.Telemetry;
using Recordings.Grains.Uploads;

namespace Recordings.Grains.Resumable;

/// <summary>
/// Appends each PATCH to a spool file on this silo's disk and persists the offset only after an fsync, so a reported
/// offset never lies, across API hosts and a kill of the silo. The last byte commits the recording through the same
/// path as a multipart upload. With Supabase, whole 6 MiB parts are relayed to Supabase's own resumable upload as
/// they become durable, so that when this silo is gone another one continues from Supabase's offset.
/// </summary>
[SpoolSiloPlacement]
public sealed class ResumableUploadGrain(
    [PersistentState("resumable", GrainStorage.Name)] IPersistentState<ResumableUploadState> state,
    ResumableSpool spoolFolder,
    SpooledRecordingCommitter committer,
    SupabaseRelay relay,
    ILocalSiloDetails silo,
    IOptions<RecordingsOptions> recordingsOptions,
    IOptions<ResumableOptions> resumableOptions,
    RecordingsMetrics metrics,
    ILogger<ResumableUploadGrain> logger) : Grain, IResumableUploadGrain
{
    private FileStream? spool;
    private OpenPatch? patch;
    private int lastPatch;
    private bool counted;

    // This activation cannot serve the upload (its spool is on a silo that is gone, and Supabase cannot stand in): 404.
    private bool gone;
    private long relayRestsUntil;

    private ResumableUploadState Upload => state.State;

    private string SpoolPath => spoolFolder.PathOf(this.GetPrimaryKeyString());

    private bool Exists => state.RecordExists && Upload.SessionId is not null;

    private bool Finished => Upload.Outcome is not null;

    private string SpoolSilo => Upload.SpoolSilo ?? ResumableUploadId.SiloOf(this.GetPrimaryKeyString());

    // Bytes of the upload in this silo's spool file: it starts at SpoolStart.
    private long SpooledBytes => Upload.Offset - Upload.SpoolStart;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!Exists || Finished)
        {
            return;
        }

        if (SpoolSilo != silo.Name)
        {
            // Any spool of it on this disk dates from before another silo took it over: never to be read again.
            LocalRecordingStore.DeleteSpool(SpoolPath);
            await TakeOverAsync(cancellationToken);
            return;
        }

        if (!File.Exists(SpoolPath) || new FileInfo(SpoolPath).Length < SpooledBytes)
        {
            await RecoverLostSpoolAsync(cancellationToken);
            return;
        }

        // Bytes past the persisted offset were never acknowledged (the silo stopped mid-PATCH): drop them.
        spool = spoolFolder.Open(this.GetPrimaryKeyString());
        spool.SetLength(SpooledBytes);
        spool.Position = SpooledBytes;
        CountActive(true);

        // Every byte was acknowledged but the silo stopped before the recording was stored: store it now.
        if (Upload.Length == Upload.Offset)
        {
            await FinishAsync(complete: true);
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        CountActive(false);
        if (spool is null)
        {
            return;
        }

        try
        {
            // Leaving (the silo drains, or the upload went idle): whatever whole part is durable goes to Supabase
            // first, so that a silo continuing the upload starts as far on as it can.
            if (Exists && !Finished)
            {
                DropOpenPatch();
                if (await RelayAsync(cancellationToken))
                {
                    await state.WriteStateAsync();
                }
            }
        }
        catch (Exception exception)
        {
            // Supabase's own offset is what a takeover reads; a lagging state costs nothing.
            logger.LogWarning("Upload {UploadId}: relaying on deactivation failed: {Reason}", this.GetPrimaryKeyString(), exception.Message);
        }
        finally
        {
            await spool.DisposeAsync();
        }
    }

    public async Task<ResumableUploadStatus> Create(ResumableUploadRequest request)
    {
        if (state.RecordExists)
        {
            throw new InvalidOperationException("Upload already created.");
        }

        var ticket = await GrainFactory.GetGrain<ISessionGrain>(request.SessionId)
            .BeginUpload(request.RecordingType, request.Extension, request.ContentType);
        spool = spoolFolder.Create(this.GetPrimaryKeyString());
        var now = DateTimeOffset.UtcNow;
        state.State = new ResumableUploadState
        {
            Length = request.Length,
            Metadata = request.Metadata,
            CreatedAt = now,
        };
        Upload.SetTicket(ticket);
        Touch(now);
        await state.WriteStateAsync();
        CountActive(true);
        if (request.Length == 0)
        {
            await FinishAsync(complete: true);
        }

        return Status();
    }

    public async Task<ResumableUploadStatus?> GetStatus()
    {
        await ExpireIfDueAsync();
        ThrowIfGone();
        return Exists ? Status() : null;
    }

    public async Task<PatchResult> BeginPatch(long offset, long? uploadLength, byte[]? sha1)
    {
        await ExpireIfDueAsync();
        ThrowIfGone();
        if (!Exists)
        {
            return new PatchResult(PatchOutcome.NotFound, null);
        }

        if (Finished)
        {
            return new PatchResult(PatchOutcome.Finished, Status());
        }

        // A newer request wins: what an older, unfinished one brought was never acknowledged.
        DropOpenPatch();
        if (offset != Upload.Offset)
        {
            return new PatchResult(PatchOutcome.Conflict, Status());
        }

        var max = recordingsOptions.Value.MaxUploadBytes;
        if (uploadLength is { } length)
        {
            if (Upload.Length is { } known ? known != length : length < Upload.Offset)
            {
                return new PatchResult(PatchOutcome.LengthMismatch, Status());
            }

            if (length > max)
            {
                return new PatchResult(PatchOutcome.TooLarge, Status());
            }
        }

        var limit = uploadLength ?? Upload.Length ?? max;
        patch = new OpenPatch(++lastPatch, uploadLength, sha1);
        return new PatchResult(PatchOutcome.Started, Status(), patch.Token, limit - Upload.Offset);
    }

    public async Task Append(int token, ReadOnlyMemory<byte> data)
    {
        var current = patch is { } open && open.Token == token ? open : throw Superseded();
        await spool!.WriteAsync(data);
        current.Sha1?.AppendData(data.Span);
        current.Written += data.Length;
        current.LastWrite = Stopwatch.GetTimestamp();
    }

    public async Task<PatchResult> EndPatch(int token, PatchEnd end)
    {
        if (patch is not { } current || current.Token != token)
        {
            return new PatchResult(PatchOutcome.Superseded, Exists ? Status() : null);
        }

        // Bytes a checksum cannot vouch for (body cut short) are dropped with the request, as tus says.
        var keep = end == PatchEnd.Complete || (end == PatchEnd.Interrupted && current.ExpectedSha1 is null);
        if (!keep)
        {
            DropOpenPatch();
            return new PatchResult(PatchOutcome.Saved, Status());
        }

        if (end == PatchEnd.Complete && current.ExpectedSha1 is { } expected &&
            !CryptographicOperations.FixedTimeEquals(current.Sha1!.GetHashAndReset(), expected))
        {
            DropOpenPatch();
            return new PatchResult(PatchOutcome.ChecksumMismatch, Status());
        }

        patch = null;
        current.Dispose();
        if (current.Written == 0 && current.UploadLength is null)
        {
            Touch(DateTimeOffset.UtcNow);
            return new PatchResult(PatchOutcome.Saved, Status());
        }

        // Offsets never lie: on disk first, then the offset.
        await spool!.FlushAsync();
        spool.Flush(flushToDisk: true);
        var before = Upload.Offset;
        Upload.Offset += current.Written;
        Upload.Length ??= current.UploadLength;
        if (Upload.Length == Upload.Offset && Upload.SpoolStart > 0)
        {
            // Taken over from another silo, this spool lacks the file's head: the end counts only once in Supabase.
            await RelayAsync(CancellationToken.None, always: true);
            if (Upload.RelayedOffset != Upload.Length)
            {
                Upload.Offset = before;
                spool.SetLength(SpooledBytes);
                spool.Position = SpooledBytes;
                await state.WriteStateAsync();
                throw new RecordingUnavailableException("Supabase did not take the upload's last part; send it again.");
            }
        }

        Touch(DateTimeOffset.UtcNow);
        await state.WriteStateAsync();

        if (Upload.Length == Upload.Offset)
        {
            await FinishAsync(complete: true);
        }
        else if (await RelayAsync(CancellationToken.None))
        {
            await state.WriteStateAsync();
        }

        return new PatchResult(PatchOutcome.Saved, Status());
    }

    public async Task<bool> Terminate()
    {
        ThrowIfGone();
        if (!Exists)
        {
            return false;
        }

        DropOpenPatch();
        var ticket = Upload.GetTicket()!;
        if (Finished)
        {
            await GrainFactory.GetGrain<ISessionGrain>(ticket.SessionId).Delete(ticket.Filename);
        }
        else
        {
            await DiscardAsync();
        }

        await ForgetAsync();
        return true;
    }

    public async Task<string?> Sweep()
    {
        await ExpireIfDueAsync();
        if (gone)
        {
            DeactivateOnIdle();
        }

        return Exists && !Finished ? SpoolSilo : null;
    }

    private async Task ExpireIfDueAsync()
    {
        if (!state.RecordExists)
        {
            // A spool with no upload behind it (its state was removed mid-way): nothing can ever resume it.
            if (File.Exists(SpoolPath) && patch is null)
            {
                await DiscardSpoolAsync();
            }

            DeactivateOnIdle();
            return;
        }

        if (!Exists || DateTimeOffset.UtcNow < Upload.Expires || (patch is not null && !IsStale(patch)))
        {
            return;
        }

        DropOpenPatch();
        if (Finished)
        {
            await ForgetAsync();
        }
        else if (Upload.Length is null && Upload.Offset > 0)
        {
            // A progressive recorder gone silent: what arrived is the recording.
            logger.LogInformation("Upload {UploadId} silent since {Since}: keeping {Bytes} bytes as an incomplete recording",
                this.GetPrimaryKeyString(), Upload.Expires - resumableOptions.Value.AbandonAfter, Upload.Offset);
            Upload.Length = Upload.Offset;
            await FinishAsync(complete: false);
        }
        else
        {
            logger.LogInformation("Upload {UploadId} expired with {Bytes} of {Length} bytes; deleting it",
                this.GetPrimaryKeyString(), Upload.Offset, Upload.Length);
            await DiscardAsync();
            await ForgetAsync();
        }
    }

    // An open PATCH that has not moved for a whole lifetime belongs to an API host that died.
    private bool IsStale(OpenPatch open) => Stopwatch.GetElapsedTime(open.LastWrite) > LifetimeOf();

    private async Task FinishAsync(bool complete)
    {
        var ticket = Upload.GetTicket()!;
        // Once parts went to Supabase the last one follows, and Supabase's upload becomes the object; otherwise the
        // spool is sent whole, as a multipart upload's is (or kept on this disk when Supabase fails).
        if (complete && Upload.RelayUploadId is not null)
        {
            await RelayAsync(CancellationToken.None, always: Upload.SpoolStart > 0);
        }

        var inSupabase = Upload.RelayUploadId is not null && Upload.RelayedOffset == Upload.Length;
        if (!inSupabase && Upload.SpoolStart > 0)
        {
            // Only Supabase has the file's head: without it the upload waits (the client's next request tries again).
            DeactivateOnIdle();
            throw new RecordingUnavailableException("Supabase did not take the upload's last part; try again.");
        }

        await spool!.DisposeAsync();
        spool = null;
        UploadOutcome outcome;
        try
        {
            outcome = inSupabase ? await CommitRelayedAsync(ticket, complete) : await StoreSpoolAsync(ticket, complete);
        }
        catch
        {
            // Not stored: the next request finds the spool again (or, if it was moved, recovers from the session).
            DeactivateOnIdle();
            throw;
        }

        metrics.UploadStored(outcome.Record.Storage, outcome.Record.Size, DateTimeOffset.UtcNow - Upload.CreatedAt);
        CountActive(false);
        Upload.Outcome = outcome;
        Upload.Expires = DateTimeOffset.UtcNow + resumableOptions.Value.ResumableExpiration;
        await state.WriteStateAsync();
    }

    private async Task<UploadOutcome> StoreSpoolAsync(UploadTicket ticket, bool complete) =>
        await committer.StoreAsync(ticket, SpoolPath, Upload.Offset, await HashSpoolAsync(), supabaseAnswer: null, complete);

    // The last part made Supabase's upload the object. After a takeover the file's head is not on this disk: the
    // object is read back, to check its size and hash it; otherwise the spool is hashed.
    private async Task<UploadOutcome> CommitRelayedAsync(UploadTicket ticket, bool complete)
    {
        (long Size, string Sha256)? stored = Upload.SpoolStart == 0 ? (Upload.Offset, await HashSpoolAsync()) : await relay.ReadBackAsync(ticket);
        if (stored is not { } found || found.Size != Upload.Offset)
        {
            logger.LogError("Upload {UploadId}: Supabase holds {Size} bytes at {ObjectPath}, not {Length}",
                this.GetPrimaryKeyString(), stored?.Size, ticket.ObjectPath, Upload.Offset);
            throw new RecordingUnavailableException("The upload's object in Supabase is not whole; it cannot be finished.");
        }

        var outcome = await committer.CommitSupabaseObjectAsync(ticket, found.Size, found.Sha256, complete);
        LocalRecordingStore.DeleteSpool(SpoolPath);
        return outcome;
    }

    private async Task<string> HashSpoolAsync()
    {
        await using var file = new FileStream(SpoolPath, FileMode.Open, FileAccess.Read, FileShare.Read, 0, useAsync: true);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file));
    }

    // This silo's disk does not hold the upload's spool: continue from what Supabase holds, if it holds anything.
    private async Task TakeOverAsync(CancellationToken cancellationToken)
    {
        var id = this.GetPrimaryKeyString();
        var relayed = await relay.RelayedOffsetAsync(id, Upload, cancellationToken);
        if (relayed is not { } offset || offset <= 0 || offset > Upload.Offset)
        {
            // Nothing to continue from here: 404 (the client starts over), and the state stays for the spool's silo.
            // The activation ends after answering a call (not now: calls waiting for it would only be forwarded).
            gone = true;
            return;
        }

        logger.LogInformation("Upload {UploadId} continues on {Silo} from {Offset} bytes in Supabase (it had {Acknowledged} on {Previous})",
            id, silo.Name, offset, Upload.Offset, SpoolSilo);
        LocalRecordingStore.DeleteSpool(SpoolPath);
        spool = spoolFolder.Create(id);
        (Upload.SpoolSilo, Upload.SpoolStart, Upload.RelayedOffset, Upload.Offset) = (silo.Name, offset, offset, offset);
        Touch(DateTimeOffset.UtcNow);
        await state.WriteStateAsync();
        CountActive(true);
        if (Upload.Length == offset)
        {
            await FinishAsync(complete: true);
        }
    }

    /// <summary>Relays what it can (unless resting after a failure); true when the relay moved on.</summary>
    /// <param name="always">Even while resting: the upload cannot finish otherwise.</param>
    private async Task<bool> RelayAsync(CancellationToken cancellationToken, bool always = false)
    {
        if (!relay.Applies(Upload) || spool is null || (!always && Stopwatch.GetTimestamp() < relayRestsUntil))
        {
            return false;
        }

        var before = (Upload.RelayUploadId, Upload.RelayedOffset);
        if (!await relay.RelayAsync(this.GetPrimaryKeyString(), Upload, spool.SafeFileHandle, cancellationToken))
        {
            relayRestsUntil = Stopwatch.GetTimestamp() + (long)(SupabaseRelay.RetryPause.TotalSeconds * Stopwatch.Frequency);
        }

        return before != (Upload.RelayUploadId, Upload.RelayedOffset);
    }

    private void ThrowIfGone()
    {
        if (gone)
        {
            DeactivateOnIdle();
            throw new ResumableUploadGoneException();
        }
    }

    // The spool is gone (disk replaced) or was already turned into the recording when the silo stopped.
    private async Task RecoverLostSpoolAsync(CancellationToken cancellationToken)
    {
        var ticket = Upload.GetTicket()!;
        var stored = await GrainFactory.GetGrain<ISessionGrain>(ticket.SessionId).Get(ticket.Filename);
        if (stored is not null && Upload.Length == Upload.Offset)
        {
            Upload.Outcome = new UploadOutcome(stored, null);
            await state.WriteStateAsync();
            return;
        }

        if (Upload.RelayUploadId is not null)
        {
            await TakeOverAsync(cancellationToken);
            return;
        }

        logger.LogWarning("Upload {UploadId} lost its spool file; forgetting it", this.GetPrimaryKeyString());
        await GrainFactory.GetGrain<ISessionGrain>(ticket.SessionId).Release(ticket.Filename);
        await ForgetAsync();
    }

    private async Task DiscardAsync()
    {
        await DiscardSpoolAsync();
        await GrainFactory.GetGrain<ISessionGrain>(Upload.SessionId!).Release(Upload.Filename);
        metrics.UploadFailed(DateTimeOffset.UtcNow - Upload.CreatedAt);
        CountActive(false);
    }

    private async Task DiscardSpoolAsync()
    {
        if (spool is not null)
        {
            await spool.DisposeAsync();
            spool = null;
        }

        LocalRecordingStore.DeleteSpool(SpoolPath);
    }

    private async Task ForgetAsync()
    {
        await state.ClearStateAsync();
        DeactivateOnIdle();
    }

    private void DropOpenPatch()
    {
        if (patch is null)
        {
            return;
        }

        patch.Dispose();
        patch = null;
        spool!.SetLength(SpooledBytes);
        spool.Position = SpooledBytes;
    }

    // The "uploads in flight" gauge counts unfinished uploads active on this silo.
    private void CountActive(bool active)
    {
        if (active == counted)
        {
            return;
        }

        counted = active;
        if (active)
        {
            metrics.UploadStarted();
        }
        else
        {
            metrics.UploadEnded();
        }
    }

    private void Touch(DateTimeOffset now) => Upload.Expires = now + LifetimeOf();

    private TimeSpan LifetimeOf() =>
        Upload.Length is null ? resumableOptions.Value.AbandonAfter : resumableOptions.Value.ResumableExpiration;

    private static RecordingUnavailableException Superseded() =>
        new("A newer request for this upload took over; resume from its offset.");

    private ResumableUploadStatus Status() =>
        new(Upload.SessionId!, Upload.Offset, Upload.Length, Upload.Expires, Upload.Metadata, Upload.Outcome);

    private sealed class OpenPatch(int token, long? uploadLength, byte[]? expectedSha1) : IDisposable
    {
        public int Token { get; } = token;

        public long? UploadLength { get; } = uploadLength;

        public byte[]? ExpectedSha1 { get; } = expectedSha1;

        public IncrementalHash? Sha1 { get; } = expectedSha1 is null ? null : IncrementalHash.CreateHash(HashAlgorithmName.SHA1);

        public long Written { get; set; }

        public long LastWrite { get; set; } = Stopwatch.GetTimestamp();

        public void Dispose() => Sha1?.Dispose();
    }
}
