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
/// path as a multipart upload.
/// </summary>
[SpoolSiloPlacement]
public sealed class ResumableUploadGrain(
    [PersistentState("resumable", GrainStorage.Name)] IPersistentState<ResumableUploadState> state,
    ResumableSpool spoolFolder,
    SpooledRecordingCommitter committer,
    IOptions<RecordingsOptions> recordingsOptions,
    IOptions<ResumableOptions> resumableOptions,
    RecordingsMetrics metrics,
    ILogger<ResumableUploadGrain> logger) : Grain, IResumableUploadGrain
{
    private FileStream? spool;
    private OpenPatch? patch;
    private int lastPatch;
    private bool counted;

    private ResumableUploadState Upload => state.State;

    private string SpoolPath => spoolFolder.PathOf(this.GetPrimaryKeyString());

    private bool Exists => state.RecordExists && Upload.SessionId is not null;

    private bool Finished => Upload.Outcome is not null;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!Exists || Finished)
        {
            return;
        }

        if (!File.Exists(SpoolPath) || new FileInfo(SpoolPath).Length < Upload.Offset)
        {
            await RecoverLostSpoolAsync();
            return;
        }

        // Bytes past the persisted offset were never acknowledged (the silo stopped mid-PATCH): drop them.
        spool = spoolFolder.Open(this.GetPrimaryKeyString());
        spool.SetLength(Upload.Offset);
        spool.Position = Upload.Offset;
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
        if (spool is not null)
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
        return Exists ? Status() : null;
    }

    public async Task<PatchResult> BeginPatch(long offset, long? uploadLength, byte[]? sha1)
    {
        await ExpireIfDueAsync();
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
        Upload.Offset += current.Written;
        Upload.Length ??= current.UploadLength;
        Touch(DateTimeOffset.UtcNow);
        await state.WriteStateAsync();

        if (Upload.Length == Upload.Offset)
        {
            await FinishAsync(complete: true);
        }

        return new PatchResult(PatchOutcome.Saved, Status());
    }

    public async Task<bool> Terminate()
    {
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

    public Task Sweep() => ExpireIfDueAsync();

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
        await spool!.DisposeAsync();
        spool = null;
        string sha256;
        await using (var file = new FileStream(SpoolPath, FileMode.Open, FileAccess.Read, FileShare.Read, 0, useAsync: true))
        {
            sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(file));
        }

        UploadOutcome outcome;
        try
        {
            outcome = await committer.StoreAsync(ticket, SpoolPath, Upload.Offset, sha256, feed: null, complete);
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

    // The spool is gone (disk replaced) or was already turned into the recording when the silo stopped.
    private async Task RecoverLostSpoolAsync()
    {
        var ticket = Upload.GetTicket()!;
        var stored = await GrainFactory.GetGrain<ISessionGrain>(ticket.SessionId).Get(ticket.Filename);
        if (stored is not null && Upload.Length == Upload.Offset)
        {
            Upload.Outcome = new UploadOutcome(stored, null);
            await state.WriteStateAsync();
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
        spool!.SetLength(Upload.Offset);
        spool.Position = Upload.Offset;
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
