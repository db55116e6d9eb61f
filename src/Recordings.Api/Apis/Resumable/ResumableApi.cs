using Microsoft.Extensions.Options;
using Recordings.Abstractions;
using Recordings.Api.Auth;

namespace Recordings.Api.Apis.Resumable;

/// <summary>
/// tus 1.0.0 at /recordings/resumable/{session_id}: creation (with upload, deferred length), HEAD, PATCH,
/// termination, expiration and sha1 checksums. A finished upload is a recording like any multipart one.
/// </summary>
public static class ResumableApi
{
    public static IEndpointRouteBuilder MapResumableUploadsApi(this IEndpointRouteBuilder app)
    {
        var discovery = app.MapGroup("/recordings/resumable/{session_id}").WithTags("resumable uploads (tus 1.0.0)")
            .AddEndpointFilter<SafeNamesFilter>()
            .AddEndpointFilter<TusResumableFilter>();

        // Every call but the protocol discovery acts on a session's upload: it needs the upload scope for that session.
        var api = discovery.MapGroup(string.Empty).RequireAuthorization(RecordingsPolicies.Upload);

        const string DiscoveryIsOpen = "tus discovery: answers what this server supports, reads and changes no session";
        discovery.MapMethods("/", [HttpMethods.Options], Options).WithName("ResumableOptions")
            .WithSummary("What this tus server supports").AllowAnonymousBecause(DiscoveryIsOpen);
        discovery.MapMethods("/{upload_id}", [HttpMethods.Options], Options).ExcludeFromDescription().AllowAnonymousBecause(DiscoveryIsOpen);

        api.MapPost("/", CreateAsync).WithName("CreateResumableUpload")
            .WithSummary("Create an upload (Upload-Length or Upload-Defer-Length: 1; Upload-Metadata filename, filetype, recording_type)")
            .DisableAntiforgery()
            .AddEndpointFilter<UploadMemoryFilter>()
            .RequireRateLimiting(UploadRateLimit.PolicyName);

        api.MapMethods("/{upload_id}", [HttpMethods.Head], HeadAsync).WithName("ResumableUploadOffset")
            .WithSummary("The upload's durable offset");

        api.MapPatch("/{upload_id}", PatchAsync).WithName("ResumableUploadAppend")
            .WithSummary("Append bytes at Upload-Offset (Content-Type: application/offset+octet-stream)")
            .DisableAntiforgery()
            .AddEndpointFilter<UploadMemoryFilter>();

        api.MapDelete("/{upload_id}", TerminateAsync).WithName("ResumableUploadTerminate")
            .WithSummary("Delete the upload and every byte of it");

        api.MapGet("/{upload_id}", ResultAsync).WithName("ResumableUploadResult")
            .WithSummary("Once finished: the same JSON as POST /recordings/upload/{session_id}");

        return app;
    }

    public static IResult Options(HttpContext context, IOptions<RecordingsOptions> options)
    {
        var headers = context.Response.Headers;
        headers[TusHeaders.TusVersion] = TusHeaders.Version;
        headers[TusHeaders.TusExtension] = TusHeaders.Extensions;
        headers[TusHeaders.TusMaxSize] = options.Value.MaxUploadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        headers[TusHeaders.TusChecksumAlgorithm] = TusHeaders.ChecksumAlgorithms;
        return Results.NoContent();
    }

    public static async Task<IResult> CreateAsync(
        string session_id, HttpContext context, IGrainFactory grains, IOptions<RecordingsOptions> options)
    {
        var request = context.Request;
        var settings = options.Value;
        if (!TusHeaders.TryReadLong(request, TusHeaders.UploadLength, out var length))
        {
            return ApiProblem.BadRequest("Invalid Upload-Length: a non-negative integer");
        }

        var deferred = request.Headers[TusHeaders.UploadDeferLength].ToString();
        if (length is null == (deferred.Length == 0) || (deferred.Length > 0 && deferred != "1"))
        {
            return ApiProblem.BadRequest("Send either Upload-Length or Upload-Defer-Length: 1");
        }

        if (length > settings.MaxUploadBytes)
        {
            return UploadHandler.TooLarge(settings);
        }

        if (!UploadMetadata.TryParse(request.Headers[TusHeaders.UploadMetadata], out var metadata, out var metadataError))
        {
            return ApiProblem.BadRequest(metadataError);
        }

        // The same rules and words as the multipart endpoint.
        var recordingType = metadata["recording_type"] is { Length: > 0 } type ? type.Trim() : RecordingNames.DefaultRecordingType;
        if (!RecordingNames.IsValidRecordingType(recordingType))
        {
            return ApiProblem.BadRequest("Invalid recording_type: use 1-64 characters of A-Z a-z 0-9 _ -");
        }

        var withBody = IsOffsetStream(request);
        if (request.ContentLength > 0 && !withBody)
        {
            return ApiProblem.Status(StatusCodes.Status415UnsupportedMediaType, $"A body sent at creation needs Content-Type: {TusHeaders.OffsetContentType}");
        }

        byte[]? sha1;
        try
        {
            sha1 = withBody ? TusHeaders.ReadSha1Checksum(request) : null;
        }
        catch (FormatException exception)
        {
            return ApiProblem.BadRequest(exception.Message);
        }

        var extension = RecordingNames.ExtensionOf(metadata["filename"]);
        var contentType = RecordingContentTypes.Of(metadata["filetype"], extension);
        if (!RecordingContentTypes.IsAllowed(contentType, settings.AllowedContentTypes))
        {
            return ApiProblem.Status(StatusCodes.Status415UnsupportedMediaType,
                $"Unsupported recording type {contentType}: a recording must be one of {settings.AllowedContentTypes}");
        }
        var created = await grains.GetGrain<IResumableUploadStarter>(0).Create(new ResumableUploadRequest(
            session_id, recordingType, extension, contentType, length, request.Headers[TusHeaders.UploadMetadata].ToString()));

        var status = created.Status;
        if (withBody)
        {
            var upload = grains.GetGrain<IResumableUploadGrain>(created.UploadId);
            var sent = await PatchBody.SendAsync(upload, request, 0, uploadLength: null, sha1, settings.ChunkBytes);
            status = sent.Status ?? status;
        }

        WriteState(context.Response, status);
        var location = $"/recordings/resumable/{session_id}/{created.UploadId}";
        return Results.Created(location, null);
    }

    public static async Task<IResult> HeadAsync(string session_id, string upload_id, HttpContext context, IGrainFactory grains)
    {
        var status = await FindAsync(session_id, upload_id, grains);
        if (status is null)
        {
            return UploadNotFound();
        }

        WriteState(context.Response, status);
        if (status.Metadata.Length > 0)
        {
            context.Response.Headers[TusHeaders.UploadMetadata] = status.Metadata;
        }

        context.Response.Headers.CacheControl = "no-store";
        return Results.Ok();
    }

    public static async Task<IResult> PatchAsync(
        string session_id, string upload_id, HttpContext context, IGrainFactory grains, IOptions<RecordingsOptions> options)
    {
        var request = context.Request;
        if (!IsOffsetStream(request))
        {
            return ApiProblem.Status(StatusCodes.Status415UnsupportedMediaType, $"PATCH needs Content-Type: {TusHeaders.OffsetContentType}");
        }

        if (!TusHeaders.TryReadLong(request, TusHeaders.UploadOffset, out var offset) || offset is null)
        {
            return ApiProblem.BadRequest("Missing or invalid Upload-Offset: a non-negative integer");
        }

        if (!TusHeaders.TryReadLong(request, TusHeaders.UploadLength, out var length))
        {
            return ApiProblem.BadRequest("Invalid Upload-Length: a non-negative integer");
        }

        byte[]? sha1;
        try
        {
            sha1 = TusHeaders.ReadSha1Checksum(request);
        }
        catch (FormatException exception)
        {
            return ApiProblem.BadRequest(exception.Message);
        }

        var known = await FindAsync(session_id, upload_id, grains);
        if (known is null)
        {
            return UploadNotFound();
        }

        PatchResult result;
        try
        {
            var upload = grains.GetGrain<IResumableUploadGrain>(upload_id);
            result = await PatchBody.SendAsync(upload, request, offset.Value, length, sha1, options.Value.ChunkBytes);
        }
        catch (ResumableUploadGoneException exception)
        {
            return ApiProblem.NotFound(exception.Message);
        }

        if (result.Status is { } status)
        {
            WriteState(context.Response, status);
        }

        return result.Outcome switch
        {
            PatchOutcome.Saved when result.Status?.Outcome is { } outcome => Completed(context, session_id, outcome.Record.Filename),
            PatchOutcome.Saved => Results.NoContent(),
            PatchOutcome.NotFound => UploadNotFound(),
            PatchOutcome.Conflict => ApiProblem.Status(StatusCodes.Status409Conflict,
                $"Upload-Offset conflict: the upload is at {result.Status!.Offset}, not {offset}"),
            PatchOutcome.Superseded => ApiProblem.Status(StatusCodes.Status409Conflict,
                "A newer request for this upload took over; ask its offset with HEAD"),
            PatchOutcome.Finished => ApiProblem.Status(StatusCodes.Status403Forbidden, "The upload is finished; nothing more can be appended"),
            PatchOutcome.LengthMismatch => ApiProblem.BadRequest("Upload-Length does not match the upload's length or offset"),
            PatchOutcome.TooLarge => TooLarge(options.Value, result.Status),
            PatchOutcome.ChecksumMismatch => ApiProblem.Status(460, "Checksum mismatch: the chunk was dropped; send it again"),
            _ => throw new InvalidOperationException($"Unexpected PATCH outcome {result.Outcome}"),
        };
    }

    public static async Task<IResult> TerminateAsync(string session_id, string upload_id, IGrainFactory grains)
    {
        if (await FindAsync(session_id, upload_id, grains) is null)
        {
            return UploadNotFound();
        }

        return await grains.GetGrain<IResumableUploadGrain>(upload_id).Terminate() ? Results.NoContent() : UploadNotFound();
    }

    public static async Task<IResult> ResultAsync(string session_id, string upload_id, IGrainFactory grains)
    {
        var status = await FindAsync(session_id, upload_id, grains);
        if (status is null)
        {
            return UploadNotFound();
        }

        return status.Outcome is { } outcome
            ? TypedResults.Ok(UploadHandler.ToResponse(session_id, outcome))
            : ApiProblem.Status(StatusCodes.Status409Conflict,
                $"Upload not finished: {status.Offset} of {(status.Length is { } length ? length.ToString(System.Globalization.CultureInfo.InvariantCulture) : "an unknown number of")} bytes received");
    }

    /// <summary>The upload, if it exists and belongs to this session; an id of another shape is simply unknown.</summary>
    private static async Task<ResumableUploadStatus?> FindAsync(string sessionId, string uploadId, IGrainFactory grains)
    {
        if (!ResumableUploadId.IsValid(uploadId))
        {
            return null;
        }

        try
        {
            var status = await grains.GetGrain<IResumableUploadGrain>(uploadId).GetStatus();
            return status?.SessionId == sessionId ? status : null;
        }
        catch (ResumableUploadGoneException)
        {
            return null;
        }
    }

    private static IResult Completed(HttpContext context, string sessionId, string filename)
    {
        context.Response.Headers[TusHeaders.RecordingFilePath] = $"{sessionId}/{filename}";
        return Results.NoContent();
    }

    private static IResult TooLarge(RecordingsOptions settings, ResumableUploadStatus? status) =>
        status?.Length is { } length && length < settings.MaxUploadBytes
            ? ApiProblem.Status(StatusCodes.Status413PayloadTooLarge, $"The body goes past Upload-Length ({length} bytes)")
            : UploadHandler.TooLarge(settings);

    private static void WriteState(HttpResponse response, ResumableUploadStatus status)
    {
        var headers = response.Headers;
        headers[TusHeaders.UploadOffset] = status.Offset.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (status.Length is { } length)
        {
            headers[TusHeaders.UploadLength] = length.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        else
        {
            headers[TusHeaders.UploadDeferLength] = "1";
        }

        headers[TusHeaders.UploadExpires] = TusHeaders.Format(status.Expires);
    }

    private static bool IsOffsetStream(HttpRequest request) =>
        request.ContentType is { } type && type.Split(';')[0].Trim().Equals(TusHeaders.OffsetContentType, StringComparison.OrdinalIgnoreCase);

    private static IResult UploadNotFound() => ApiProblem.NotFound("Upload not found (unknown, expired or terminated)");
}
