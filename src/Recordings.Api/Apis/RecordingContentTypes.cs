using Microsoft.Net.Http.Headers;
using Recordings.Abstractions;

namespace Recordings.Api.Apis;

/// <summary>
/// Recordings are audio or video: the type a file part is stored and served with, and whether the configured list
/// (Recordings:AllowedContentTypes) lets it in. A recording is served from the API's own origin, so an HTML or SVG
/// "recording" must never get in.
/// </summary>
public static class RecordingContentTypes
{
    /// <summary>The declared type; the extension's when the client declared none or application/octet-stream (curl does).</summary>
    public static string Of(string? declared, string extension) =>
        string.IsNullOrWhiteSpace(declared) || MediaTypeOf(declared).Equals("application/octet-stream", StringComparison.OrdinalIgnoreCase)
            ? RecordingNames.ContentTypeForExtension(extension)
            : declared.Trim();

    /// <summary>Whether <paramref name="contentType"/> (parameters ignored) matches an entry of <paramref name="allowList"/>.</summary>
    public static bool IsAllowed(string contentType, string allowList)
    {
        var mediaType = MediaTypeOf(contentType);
        return allowList.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Any(pattern => pattern.EndsWith("/*", StringComparison.Ordinal)
                ? mediaType.StartsWith(pattern[..^1], StringComparison.OrdinalIgnoreCase) && mediaType.Length > pattern.Length - 1
                : mediaType.Equals(pattern, StringComparison.OrdinalIgnoreCase));
    }

    private static string MediaTypeOf(string contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed) && parsed.MediaType.HasValue
            ? parsed.MediaType.Value!
            : contentType.Trim();
}
