using System.Globalization;
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

    /// <summary>Streams a local recording from whichever silo holds it, chunk by chunk, honouring one byte range.</summary>
    public static async Task<IResult> LocalFileAsync(
        HttpContext context, string sessionId, RecordingRecord record, IGrainFactory grains, int chunkBytes)
    {
        var silo = record.LocalSilo!;
        var store = grains.GetGrain<ISiloStoreGrain>(silo);
        var info = await SiloStoreGuard.CallAsync(silo, () => store.Stat(sessionId, record.Filename));
        if (info is null)
        {
            return ApiProblem.NotFound($"Recording file not found on its silo: {record.Filename}");
        }

        var response = context.Response;
        var range = new ByteRange(0, info.Size - 1);
        response.Headers.AcceptRanges = "bytes";
        if (ByteRange.TryParse(context.Request.Headers.Range, out var spec))
        {
            if (ByteRange.Resolve(spec!, info.Size) is not { } requested)
            {
                response.Headers.ContentRange = $"bytes */{info.Size}";
                return ApiProblem.Status(StatusCodes.Status416RangeNotSatisfiable, $"Range not satisfiable for a file of {info.Size} bytes");
            }

            range = requested;
            response.StatusCode = StatusCodes.Status206PartialContent;
            response.Headers.ContentRange = string.Create(CultureInfo.InvariantCulture, $"bytes {range.From}-{range.To}/{info.Size}");
        }

        response.ContentType = record.ContentType;
        response.ContentLength = Math.Max(0, range.Length);
        response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileNameStar = record.Filename }.ToString();
        response.Headers.LastModified = info.LastWriteTime.ToString("R", CultureInfo.InvariantCulture);

        for (var offset = range.From; offset <= range.To;)
        {
            var count = (int)Math.Min(chunkBytes, range.To - offset + 1);
            var chunk = (await store.Read(sessionId, record.Filename, offset, count)).Value;
            if (chunk.Length == 0)
            {
                break; // The file shrank under us (deleted meanwhile): end the response short rather than loop.
            }

            await response.Body.WriteAsync(chunk, context.RequestAborted);
            offset += chunk.Length;
        }

        return Results.Empty;
    }
}
