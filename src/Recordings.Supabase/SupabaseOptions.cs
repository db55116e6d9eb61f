namespace Recordings.Supabase;

/// <summary>Where and how to reach Supabase Storage (configuration section "Supabase").</summary>
/// <remarks>A class, not a record: a record's generated ToString would print the key.</remarks>
public sealed class SupabaseOptions
{
    public const string SectionName = "Supabase";

    /// <summary>The project URL, e.g. https://xyz.supabase.co; the client adds /storage/v1.</summary>
    public string? Url { get; set; }

    /// <summary>Service-role (or anon) key. Secret: never logged, never put in a message.</summary>
    public string? Key { get; set; }

    public string Bucket { get; set; } = "interview-recordings";

    /// <summary>Whether EnsureBucketAsync creates the bucket public (public URLs) or private (signed URLs).</summary>
    public bool CreatePublicBucket { get; set; } = true;

    public int SignedUrlExpirySeconds { get; set; } = 3600;

    /// <summary>Per attempt of every small call (info, list, sign, bucket, delete).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>For one whole streamed upload, from the first byte sent to Supabase's answer.</summary>
    public TimeSpan UploadTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Retries of a small call after a transient failure (connection, 5xx, timeout); uploads never retry.</summary>
    public int MaxRetryAttempts { get; set; } = 2;

    /// <summary>First retry delay; later ones grow exponentially, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long every call fails at once after Supabase kept failing, before one probe is let through.</summary>
    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The project's global file-size limit in bytes (Supabase dashboard, Storage settings: 50 MB on the free plan),
    /// which the API does not report. With the bucket's own limit, the client refuses a larger upload itself: Supabase
    /// checks only a declared Content-Length, and uploads are streamed without one. Null: only the bucket's limit.
    /// </summary>
    public long? GlobalFileSizeLimit { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Url) && !string.IsNullOrWhiteSpace(Key);

    /// <summary>{Url}/storage/v1/ — the root every request path and returned URL is relative to.</summary>
    internal Uri StorageRoot => new(Url!.Trim().TrimEnd('/') + "/storage/v1/", UriKind.Absolute);

    public override string ToString() =>
        $"Supabase {{ Url = {Url ?? "(none)"}, Key = {(string.IsNullOrWhiteSpace(Key) ? "(none)" : "(set)")}, Bucket = {Bucket} }}";
}
