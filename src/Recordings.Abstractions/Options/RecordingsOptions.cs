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

    /// <summary>How long Supabase may leave a streamed upload without progress before we keep the file locally.</summary>
    public TimeSpan SupabaseStallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Bytes per grain call when streaming a file; grain messages must stay far below Orleans' message limit.</summary>
    [Range(16 * 1024, 1024 * 1024)]
    public int ChunkBytes { get; set; } = 1024 * 1024;

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
