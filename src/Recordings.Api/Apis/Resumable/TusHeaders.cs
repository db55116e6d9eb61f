using System.Globalization;

namespace Recordings.Api.Apis.Resumable;

/// <summary>The tus 1.0.0 headers this server reads and writes, and how it formats them.</summary>
public static class TusHeaders
{
    public const string Version = "1.0.0";
    public const string Extensions = "creation,creation-with-upload,creation-defer-length,termination,expiration,checksum";
    public const string ChecksumAlgorithms = "sha1";
    public const string OffsetContentType = "application/offset+octet-stream";

    public const string TusResumable = "Tus-Resumable";
    public const string TusVersion = "Tus-Version";
    public const string TusExtension = "Tus-Extension";
    public const string TusMaxSize = "Tus-Max-Size";
    public const string TusChecksumAlgorithm = "Tus-Checksum-Algorithm";
    public const string UploadLength = "Upload-Length";
    public const string UploadDeferLength = "Upload-Defer-Length";
    public const string UploadOffset = "Upload-Offset";
    public const string UploadMetadata = "Upload-Metadata";
    public const string UploadExpires = "Upload-Expires";
    public const string UploadChecksum = "Upload-Checksum";
    public const string RecordingFilePath = "Recording-File-Path";

    /// <summary>Request headers a browser must be allowed to send (CORS preflight).</summary>
    public static readonly string[] RequestHeaders =
        [TusResumable, UploadLength, UploadDeferLength, UploadOffset, UploadMetadata, UploadChecksum, "Content-Type", "X-Requested-With", "Range", "Authorization"];

    /// <summary>Response headers a page on another origin may read.</summary>
    public static readonly string[] ExposedHeaders =
        ["Location", UploadOffset, UploadLength, UploadDeferLength, UploadExpires, UploadMetadata, TusResumable, TusVersion,
         TusExtension, TusMaxSize, TusChecksumAlgorithm, RecordingFilePath, "Content-Range", "Content-Length", "Accept-Ranges",
         "Retry-After", "WWW-Authenticate"];

    /// <summary>A non-negative integer header; null when absent, false when malformed.</summary>
    public static bool TryReadLong(HttpRequest request, string name, out long? value)
    {
        value = null;
        var text = request.Headers[name].ToString();
        if (text.Length == 0)
        {
            return true;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            value = parsed;
            return true;
        }

        return false;
    }

    public static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>"sha1 {base64}" to its digest; null when absent; throws <see cref="FormatException"/> when unusable.</summary>
    public static byte[]? ReadSha1Checksum(HttpRequest request)
    {
        var text = request.Headers[UploadChecksum].ToString().Trim();
        if (text.Length == 0)
        {
            return null;
        }

        var parts = text.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || !parts[0].Equals("sha1", StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException($"Unsupported Upload-Checksum: use \"sha1 <base64 digest>\" ({ChecksumAlgorithms})");
        }

        var digest = Convert.FromBase64String(parts[1].Trim());
        return digest.Length == 20 ? digest : throw new FormatException("Upload-Checksum: a sha1 digest is 20 bytes");
    }
}
