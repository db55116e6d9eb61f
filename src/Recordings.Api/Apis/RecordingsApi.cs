using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Recordings.Abstractions;
using Recordings.Api.Auth;

namespace Recordings.Api.Apis;

/// <summary>The seed server's five endpoints; every call goes to the session's grain.</summary>
public static class RecordingsApi
{
    public static IEndpointRouteBuilder MapRecordingsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/recordings").WithTags("recordings").AddEndpointFilter<SafeNamesFilter>();

        api.MapPost("/upload/{session_id}", UploadHandler.HandleAsync)
            .WithName("UploadRecording")
            .WithSummary("Upload a recording (multipart fields: recording, recording_type)")
            .DisableAntiforgery()
            .AddEndpointFilter<UploadMemoryFilter>()
            .AddOpenApiOperationTransformer(UploadForm.DescribeAsync)
            .Produces<ErrorDetail>(StatusCodes.Status413PayloadTooLarge)
            .Produces<ErrorDetail>(StatusCodes.Status415UnsupportedMediaType)
            .Produces<ErrorDetail>(StatusCodes.Status422UnprocessableEntity)
            .RequireAuthorization(RecordingsPolicies.Upload)
            .RequireRateLimiting(UploadRateLimit.PolicyName);

        api.MapGet("/{session_id}", GetLatestAsync)
            .WithName("GetRecordingInfo")
            .WithSummary("The session's newest recording")
            .RequireAuthorization(RecordingsPolicies.Read);

        api.MapGet("/{session_id}/download", DownloadAsync)
            .WithName("DownloadRecording")
            .WithSummary("A link to the newest recording (Supabase) or its bytes with Range support (local)")
            .Produces<SupabaseDownloadResponse>()
            .Produces(StatusCodes.Status206PartialContent)
            .Produces<ErrorDetail>(StatusCodes.Status404NotFound)
            .Produces<ErrorDetail>(StatusCodes.Status503ServiceUnavailable)
            .RequireAuthorization(RecordingsPolicies.Read);

        // Players and download managers ask HEAD first: the same answer without its body.
        api.MapMethods("/{session_id}/download", [HttpMethods.Head], DownloadAsync)
            .WithName("DownloadRecordingHead")
            .ExcludeFromDescription()
            .RequireAuthorization(RecordingsPolicies.Read);

        api.MapGet("/{session_id}/list", ListAsync)
            .WithName("ListRecordings")
            .WithSummary("Every recording of the session, both stores merged, newest first")
            .RequireAuthorization(RecordingsPolicies.Read);

        api.MapDelete("/{session_id}/{filename}", DeleteAsync)
            .WithName("DeleteRecording")
            .WithSummary("Delete a recording from Supabase and from local storage")
            .RequireAuthorization(RecordingsPolicies.Delete);

        api.MapSessionTokens();

        return app;
    }

    public static async Task<Results<Ok<RecordingInfoResponse>, JsonHttpResult<ErrorDetail>>> GetLatestAsync(
        string session_id, IGrainFactory grains, RecordingLinks links)
    {
        var latest = await grains.GetGrain<ISessionGrain>(session_id).GetLatest();
        if (latest is null)
        {
            return ApiProblem.NotFound($"No recording found for session {session_id}");
        }

        var isSupabase = latest.Storage == StorageType.Supabase;
        return TypedResults.Ok(new RecordingInfoResponse(session_id, latest.Filename, new RecordingPath(session_id, latest.Filename), latest.Size,
            FormatTime(latest.UploadTime), isSupabase ? links.PublicUrl(session_id, latest.Filename) : null,
            isSupabase ? links.Bucket : null, latest.Storage.ToWire(), !latest.Incomplete));
    }

    public static async Task<IResult> DownloadAsync(
        string session_id, HttpContext context, IGrainFactory grains, RecordingLinks links, IOptions<RecordingsOptions> options)
    {
        // A recording is served from the API's own origin: browsers must never guess a type other than the one sent.
        context.Response.Headers.XContentTypeOptions = "nosniff";
        var latest = await grains.GetGrain<ISessionGrain>(session_id).GetLatest();
        if (latest is null)
        {
            return ApiProblem.NotFound($"No recording found for session {session_id}");
        }

        return latest.Storage == StorageType.Supabase
            ? await DownloadHandler.SupabaseLinkAsync(session_id, latest, links, context.RequestAborted)
            : await DownloadHandler.LocalFileAsync(context.Request, session_id, latest, grains, options.Value.ChunkBytes);
    }

    public static async Task<Results<Ok<RecordingListResponse>, JsonHttpResult<ErrorDetail>>> ListAsync(
        string session_id, IGrainFactory grains, RecordingLinks links)
    {
        var recordings = await grains.GetGrain<ISessionGrain>(session_id).List();
        var items = recordings.Select(r => r.Storage == StorageType.Supabase
                ? new RecordingListItem(r.Filename, new RecordingPath(session_id, r.Filename), "supabase", r.Size, FormatTime(r.UploadTime),
                    links.PublicUrl(session_id, r.Filename), links.Bucket, Complete: !r.Incomplete)
                : new RecordingListItem(r.Filename, new RecordingPath(session_id, r.Filename), "local", r.Size, FormatTime(r.UploadTime), null, null, r.LocalSilo, r.ResyncError,
                    !r.Incomplete))
            .ToList();
        return TypedResults.Ok(new RecordingListResponse(session_id, items, items.Count));
    }

    public static async Task<Results<Ok<DeleteResponse>, JsonHttpResult<ErrorDetail>>> DeleteAsync(
        string session_id, string filename, IGrainFactory grains)
    {
        var outcome = await grains.GetGrain<ISessionGrain>(session_id).Delete(filename);
        if (!outcome.Found)
        {
            return ApiProblem.NotFound($"Recording not found: {filename}");
        }

        var messages = new List<string>(2);
        if (outcome.DeletedFromSupabase)
        {
            messages.Add($"Recording deleted from Supabase: {filename}");
        }

        if (outcome.DeletedLocally)
        {
            messages.Add($"Recording deleted from local storage: {filename}");
        }

        return TypedResults.Ok(new DeleteResponse(true, string.Join(' ', messages), filename));
    }

    // The seed printed Python's isoformat() of a naive UTC time: 2024-12-01T14:30:22.
    private static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
}
