using Microsoft.Net.Http.Headers;
using Recordings.Abstractions;

namespace Recordings.Api.Apis;

/// <summary>GET /recordings/{session_id}/download: a link for Supabase recordings, the bytes (with Range) for local ones.</summary>
public static class DownloadHandler
{
    public static async Task<IResult> SupabaseLinkAsync(string sessionId, RecordingRecord record, RecordingLinks links, CancellationToken cancellationToken)
    {
        string filePath = new RecordingPath(sessionId, record.Filename);
        if (await links.IsBucketPublicAsync(cancellationToken))
        {
            return TypedResults.Ok(new SupabaseDownloadResponse("supabase", filePath, record.Size,
                links.PublicUrl(sessionId, record.Filename), SignedUrl: null, ExpiresIn: null));
        }

        var signed = await links.SignedUrlAsync(sessionId, record.Filename, cancellationToken);
        return TypedResults.Ok(new SupabaseDownloadResponse("supabase", filePath, record.Size,
            PublicUrl: null, signed, links.SignedUrlExpirySeconds));
    }

    /// <summary>
    /// Streams a local recording from whichever silo holds it; Range, If-Range, HEAD and 416 are ASP.NET Core's own
    /// range processing over a seekable stream of the file.
    /// </summary>
    public static async Task<IResult> LocalFileAsync(
        HttpRequest request, string sessionId, RecordingRecord record, IGrainFactory grains, int chunkBytes)
    {
        // RFC 9110 14.2: a range unit the server does not understand is ignored. ASP.NET Core reads any unit as bytes.
        if (request.GetTypedHeaders().Range is { } range && !range.Unit.Equals("bytes", StringComparison.OrdinalIgnoreCase))
        {
            request.Headers.Range = default;
        }

        var silo = record.LocalSilo!;
        var store = grains.GetGrain<ISiloStoreGrain>(silo);
        var info = await SiloStoreGuard.CallAsync(silo, () => store.Stat(sessionId, record.Filename));
        if (info is null)
        {
            return ApiProblem.NotFound($"Recording file not found on its silo: {record.Filename}");
        }

        var file = new SiloStoreReadStream(store, sessionId, record.Filename, info.Size, chunkBytes);
        var entityTag = record.Sha256 is { Length: > 0 } sha256 ? new EntityTagHeaderValue($"\"{sha256}\"") : null;
        return TypedResults.Stream(file, record.ContentType, record.Filename, info.LastWriteTime, entityTag, enableRangeProcessing: true);
    }
}
