using System.Diagnostics.Metrics;
using Recordings.Abstractions;
using Recordings.Grains.Storage;
using Recordings.Supabase;

namespace Recordings.Grains.Telemetry;

/// <summary>
/// The service's own instruments, all under the meter "Recordings". In Prometheus they read recordings_uploads_total,
/// recordings_upload_bytes_total, recordings_upload_duration_seconds, recordings_fallbacks_total,
/// recordings_local_backlog, recordings_resyncs_total and recordings_uploads_active. The Supabase client counts its
/// own calls on the same meter (SupabaseMetrics).
/// </summary>
public sealed class RecordingsMetrics
{
    public const string MeterName = SupabaseMetrics.MeterName;

    // Uploads last from a fraction of a second to minutes; the SDK's default buckets are meant for milliseconds.
    private static readonly double[] UploadDurationBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

    private readonly Counter<long> uploads;
    private readonly Counter<long> uploadedBytes;
    private readonly Histogram<double> uploadDuration;
    private readonly Counter<long> fallbacks;
    private readonly Counter<long> resyncs;
    private readonly UpDownCounter<long> activeUploads;

    /// <param name="localStore">This silo's disk, for the backlog gauge; absent on an API host without a silo.</param>
    public RecordingsMetrics(IMeterFactory meterFactory, LocalRecordingStore? localStore = null)
    {
        var meter = meterFactory.Create(MeterName);
        uploads = meter.CreateCounter<long>("recordings.uploads", "{upload}",
            "Uploads finished, by outcome (success: acknowledged to the client) and where the bytes went");
        uploadedBytes = meter.CreateCounter<long>("recordings.upload.bytes", "By",
            "Bytes of acknowledged uploads, by where they went");
        uploadDuration = meter.CreateHistogram("recordings.upload.duration", "s",
            "From the first chunk to the stored file, as the upload grain sees it",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = UploadDurationBuckets });
        fallbacks = meter.CreateCounter<long>("recordings.fallbacks", "{upload}",
            "Uploads kept on local disk because Supabase did not take them, by reason");
        resyncs = meter.CreateCounter<long>("recordings.resyncs", "{file}",
            "Local recordings the re-sync service handled, by outcome");
        activeUploads = meter.CreateUpDownCounter<long>("recordings.uploads.active", "{upload}",
            "Uploads streaming right now");

        if (localStore is not null)
        {
            meter.CreateObservableGauge("recordings.local.backlog", localStore.CountLocalRecordings, "{file}",
                "Recordings on this silo's disk waiting for re-sync to Supabase");
        }
    }

    public void UploadStarted() => activeUploads.Add(1);

    public void UploadEnded() => activeUploads.Add(-1);

    public void UploadStored(StorageType storage, long bytes, TimeSpan duration)
    {
        var success = new KeyValuePair<string, object?>("outcome", "success");
        var storageType = new KeyValuePair<string, object?>("storage_type", storage.ToWire());
        uploads.Add(1, success, storageType);
        uploadedBytes.Add(bytes, storageType);
        uploadDuration.Record(duration.TotalSeconds, success, storageType);
    }

    /// <summary>An upload that was opened but never acknowledged: aborted, abandoned or failed to store.</summary>
    public void UploadFailed(TimeSpan duration)
    {
        var failure = new KeyValuePair<string, object?>("outcome", "failure");
        uploads.Add(1, failure);
        uploadDuration.Record(duration.TotalSeconds, failure);
    }

    public void FallbackOccurred(UploadFailureKind reason) =>
        fallbacks.Add(1, new KeyValuePair<string, object?>("reason", FallbackReasons.TagOf(reason)));

    /// <summary>For the re-sync service, once per local recording it handled (e.g. "synced", "failed").</summary>
    public void ResyncCompleted(string outcome) => resyncs.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

}
