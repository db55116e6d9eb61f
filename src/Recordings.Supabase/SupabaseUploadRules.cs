using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace Recordings.Supabase;

/// <summary>
/// What Supabase would refuse anyway, known before an upload is sent: the bucket's file_size_limit and
/// allowed_mime_types (learned each time the client reads the bucket: at start, and when links are made) and the
/// project's global limit (configured). One per process, shared by every client instance.
/// </summary>
public sealed class SupabaseUploadRules(IOptions<SupabaseOptions> options)
{
    private volatile BucketInfo? bucket;

    /// <summary>The largest object Supabase accepts, or null when no limit is known.</summary>
    public long? MaxObjectBytes => (options.Value.GlobalFileSizeLimit, bucket?.FileSizeLimit) switch
    {
        ({ } global, { } own) => Math.Min(global, own),
        ({ } global, null) => global,
        (null, var own) => own,
    };

    public void Learn(BucketInfo current) => bucket = current;

    /// <summary>Whether the bucket takes this content type ("video/*" matches "video/webm"; parameters are ignored).</summary>
    public bool Allows(string contentType)
    {
        if (bucket?.AllowedMimeTypes is not { Count: > 0 } allowed)
        {
            return true;
        }

        var mediaType = MediaTypeHeaderValue.TryParse(contentType, out var parsed) ? parsed.MediaType ?? contentType : contentType;
        return allowed.Any(pattern => pattern.EndsWith("/*", StringComparison.Ordinal)
            ? mediaType.StartsWith(pattern[..^1], StringComparison.OrdinalIgnoreCase)
            : string.Equals(pattern.Trim(), mediaType, StringComparison.OrdinalIgnoreCase));
    }
}
