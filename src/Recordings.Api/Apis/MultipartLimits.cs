namespace Recordings.Api.Apis;

/// <summary>
/// Bounds on an upload's multipart body besides the file's own size (Recordings:MaxUploadBytes): whatever a client
/// sends, the API reads at most these many parts, header bytes and field bytes before answering 400.
/// </summary>
public static class MultipartLimits
{
    /// <summary>Parts in one body: the seed's form has two (recording, recording_type); a few unknown ones are tolerated.</summary>
    public const int MaxParts = 16;

    /// <summary>Header lines of one part (Content-Disposition, Content-Type, ...).</summary>
    public const int MaxHeadersPerPart = 16;

    /// <summary>Bytes of one part's headers together; also bounds the preamble before the first boundary.</summary>
    public const int MaxHeaderBytesPerPart = 16 * 1024;

    /// <summary>Bytes of any part other than the file (recording_type, or a field the API does not know and skips).</summary>
    public const int MaxFieldBytes = 16 * 1024;
}
