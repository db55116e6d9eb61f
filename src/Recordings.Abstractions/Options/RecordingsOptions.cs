using System.ComponentModel.DataAnnotations;

namespace Recordings.Abstractions;

/// <summary>Settings of the recordings service (section "Recordings"; RECORDINGS_DIR maps to Directory).</summary>
public sealed class RecordingsOptions
{
    public const string SectionName = "Recordings";

    /// <summary>Root of the local store: recordings/{session_id}/{filename}, plus the upload spool.</summary>
    [Required]
    public string Directory { get; set; } = "recordings";

    /// <summary>Largest accepted upload; Supabase's free tier allows 50 MB.</summary>
    [Range(1, long.MaxValue)]
    public long MaxUploadBytes { get; set; } = 52_428_800;

    /// <summary>
    /// How long Supabase may leave an upload without progress (or unconfirmed once the body is sent) before the file
    /// is kept locally. Part of the upload's time budget: see <see cref="UploadCallBudget"/>.
    /// </summary>
    public TimeSpan SupabaseStallTimeout { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>Time allowed, after Supabase is given up on, to keep the file locally, commit it and answer.</summary>
    public TimeSpan CommitMargin { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>Orleans' grain-call response timeout, set on silos and clients; at least twice the upload call budget.</summary>
    public TimeSpan GrainCallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The longest one upload grain call (a chunk write, or the completion) may take before the API gives up on the
    /// upload, aborts it and answers 503: the stall timeout plus the commit margin.
    /// </summary>
    public TimeSpan UploadCallBudget => SupabaseStallTimeout + CommitMargin;

    /// <summary>
    /// Bytes per grain call when streaming a file; grain messages must stay far below Orleans' message limit. It sizes
    /// every per-upload buffer (two chunks in the API, a two-chunk window towards Supabase), so memory per upload is
    /// under 1 MiB at 256 KiB: against 1 MiB chunks, 8 x 50 MiB to Supabase peaked 30 MB lower and 32 x 50 MiB 150 MB
    /// lower, at the same throughput (bench, resumable section).
    /// </summary>
    [Range(16 * 1024, 1024 * 1024)]
    public int ChunkBytes { get; set; } = 256 * 1024;

    /// <summary>What a streamed upload may have waiting for Supabase's socket: two chunks.</summary>
    public long SupabaseWindowBytes => 2L * ChunkBytes;

    /// <summary>
    /// Upload bodies one API host holds in memory at once (a small file whole, in a pooled array of the next power of
    /// two; a large one about three chunks); more uploads wait for room, oldest first, before their bodies are read.
    /// 32 MiB: 256 uploads of 64 KiB, or 42 large ones at 256 KiB chunks, in flight per host.
    /// </summary>
    [Range(1024 * 1024, long.MaxValue)]
    public long UploadMemoryBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>
    /// Bytes no session lists and no upload in flight owns (a crash's leftovers) are removed once older than this;
    /// far longer than any upload may take.
    /// </summary>
    public TimeSpan OrphanMinAge { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often each silo sweeps its disk and the bucket for such leftovers.</summary>
    public TimeSpan OrphanSweepInterval { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// What a recording may be, as a comma-separated list of media types ("audio/*,video/*", "video/webm"); others
    /// get 415. Judged on the declared type of the file part, or on its extension when the client declares
    /// application/octet-stream (as curl does).
    /// </summary>
    [Required]
    [RegularExpression(@"^\s*[A-Za-z0-9.+-]+/(\*|[A-Za-z0-9.+-]+)\s*(,\s*[A-Za-z0-9.+-]+/(\*|[A-Za-z0-9.+-]+)\s*)*$",
        ErrorMessage = "Recordings:AllowedContentTypes must be a comma-separated list of media types such as audio/*,video/webm")]
    public string AllowedContentTypes { get; set; } = "audio/*,video/*";

    public string FullDirectory => Path.GetFullPath(Directory);
}
