using Recordings.Abstractions;

namespace Recordings.Api.Apis.Resumable;

/// <summary>
/// Streams one PATCH (or creation-with-upload) body into a resumable upload grain: BeginPatch, ordered appends of
/// at most one chunk each (never the whole body in memory), then EndPatch saying how the body ended.
/// </summary>
public static class PatchBody
{
    public static async Task<PatchResult> SendAsync(
        IResumableUploadGrain upload, HttpRequest request, long offset, long? uploadLength, byte[]? sha1, int chunkBytes)
    {
        var start = await upload.BeginPatch(offset, uploadLength, sha1);
        if (start.Outcome != PatchOutcome.Started)
        {
            return start;
        }

        // A declared body that cannot fit is refused before a byte is read.
        if (request.ContentLength > start.MaxBytes)
        {
            await upload.EndPatch(start.Patch, PatchEnd.Discard);
            return start with { Outcome = PatchOutcome.TooLarge };
        }

        long received;
        try
        {
            received = await ChunkPump.PumpAsync(request.Body, chunkBytes, start.MaxBytes,
                data => upload.Append(start.Patch, data), request.HttpContext.RequestAborted);
        }
        catch (Exception exception) when (exception is IOException or BadHttpRequestException or OperationCanceledException)
        {
            // The client went away mid-body: what arrived in whole chunks is kept, and its next HEAD says how much.
            return await upload.EndPatch(start.Patch, PatchEnd.Interrupted);
        }

        if (received > start.MaxBytes)
        {
            await upload.EndPatch(start.Patch, PatchEnd.Discard);
            return start with { Outcome = PatchOutcome.TooLarge };
        }

        return await upload.EndPatch(start.Patch, PatchEnd.Complete);
    }
}
