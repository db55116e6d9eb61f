using System.Buffers;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Recordings.Abstractions;

namespace Recordings.Api.Apis;

/// <summary>
/// POST /recordings/upload/{session_id}: reads the multipart body as a stream and hands the file part to an upload
/// grain chunk by chunk (or whole, when it fits in one), so memory per upload stays at two chunk buffers whatever the
/// file's size.
/// </summary>
public static class UploadHandler
{
    private const string FileField = "recording";
    private const string TypeField = "recording_type";

    public static async Task<Results<Ok<UploadResponse>, JsonHttpResult<ErrorDetail>>> HandleAsync(
        string session_id, HttpRequest request, IGrainFactory grains, UploadBufferPool buffers, IOptions<RecordingsOptions> options, ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType) ||
            !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return ApiProblem.Status(StatusCodes.Status422UnprocessableEntity, "Field required: recording (send multipart/form-data)");
        }

        var boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value;
        if (string.IsNullOrEmpty(boundary))
        {
            return ApiProblem.BadRequest("Malformed multipart body: missing boundary");
        }

        // A declared body far over the limit is refused before a byte is read.
        if (request.ContentLength > settings.MaxUploadBytes + 1024 * 1024)
        {
            return TooLarge(settings);
        }

        var session = grains.GetGrain<ISessionGrain>(session_id);
        var logger = loggers.CreateLogger(typeof(UploadHandler));
        var upload = new UploadInProgress(grains.GetGrain<IUploadGrain>(Guid.NewGuid()), session, buffers, settings.UploadCallBudget, logger);
        try
        {
            // The form is read in its own method: its reader's 64 KiB buffer is garbage once the file is received,
            // not held for as long as storing the upload takes (a thousand uploads waiting on Supabase: 64 MB).
            var form = await ReadFormAsync(request, boundary, upload, session, settings, cancellationToken);
            if (form.Refusal is { } refusal)
            {
                await upload.AbortAsync();
                return refusal;
            }

            var ticket = form.Ticket ?? await session.BeginUpload(form.RecordingType ?? RecordingNames.DefaultRecordingType, form.Extension!, form.ContentType!);
            var outcome = await upload.CompleteAsync(ticket, cancellationToken);
            return TypedResults.Ok(ToResponse(session_id, outcome));
        }
        catch (Exception exception) when (exception is InvalidDataException or BadHttpRequestException or IOException)
        {
            await upload.AbortAsync();
            logger.LogInformation("Rejected a malformed upload for {SessionId}: {Reason}", session_id, exception.Message);
            return ApiProblem.BadRequest($"Malformed multipart body: {exception.Message}");
        }
        catch
        {
            // Any other failure (a timeout, a silo gone, the client gone): the reservation and the grain go too.
            await upload.AbortAsync();
            throw;
        }
    }

    /// <summary>What the multipart body said, once its file part is received; or why it is refused.</summary>
    private sealed record ReceivedForm(
        JsonHttpResult<ErrorDetail>? Refusal, string? RecordingType = null, UploadTicket? Ticket = null, string? Extension = null, string? ContentType = null);

    private static async Task<ReceivedForm> ReadFormAsync(
        HttpRequest request, string boundary, UploadInProgress upload, ISessionGrain session, RecordingsOptions settings,
        CancellationToken cancellationToken)
    {
        // 64 KiB instead of the default 4 KiB: 17 reads per MiB instead of 257 while scanning for the boundary.
        var reader = new MultipartReader(boundary, request.Body, bufferSize: 64 * 1024)
        {
            HeadersCountLimit = MultipartLimits.MaxHeadersPerPart,
            HeadersLengthLimit = MultipartLimits.MaxHeaderBytesPerPart,
            // Every part's body is bounded below, by its own limit: the file by MaxUploadBytes (413), the rest by
            // MaxFieldBytes. The reader's one limit for all parts would turn a too large file into a 400.
            BodyLengthLimit = null,
        };
        string? recordingType = null;
        UploadTicket? ticket = null;
        string? extension = null;
        string? contentType = null;
        var parts = 0;

        while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
        {
            if (++parts > MultipartLimits.MaxParts)
            {
                return new(ApiProblem.BadRequest($"Too many parts in the multipart body: the limit is {MultipartLimits.MaxParts}"));
            }

            var disposition = section.GetContentDispositionHeader();
            var name = HeaderUtilities.RemoveQuotes(disposition?.Name ?? default).Value;
            if (name == TypeField)
            {
                if (recordingType is not null)
                {
                    return new(ApiProblem.BadRequest("Only one recording_type part is allowed"));
                }

                // Usually before the file; when after it (curl's order), the spooled bytes go to Supabase at the end.
                recordingType = await ReadFieldAsync(section, name, cancellationToken);
                if (!RecordingNames.IsValidRecordingType(recordingType))
                {
                    return new(ApiProblem.BadRequest($"Invalid recording_type: use 1-{RecordingNames.MaxRecordingTypeLength} characters of A-Z a-z 0-9 _ -"));
                }
            }
            else if (name == FileField)
            {
                if (upload.Started)
                {
                    return new(ApiProblem.BadRequest("Only one recording part is allowed"));
                }

                var fileName = HeaderUtilities.RemoveQuotes(disposition?.FileName ?? default).Value;
                extension = RecordingNames.ExtensionOf(fileName);
                contentType = RecordingContentTypes.Of(section.ContentType, extension);
                if (!RecordingContentTypes.IsAllowed(contentType, settings.AllowedContentTypes))
                {
                    return new(ApiProblem.Status(StatusCodes.Status415UnsupportedMediaType,
                        $"Unsupported recording type {contentType}: a recording must be one of {settings.AllowedContentTypes}"));
                }

                if (recordingType is not null)
                {
                    ticket = await session.BeginUpload(recordingType, extension, contentType);
                }

                var received = await upload.ReceiveAsync(section.Body, ticket, settings.ChunkBytes, request.ContentLength,
                    settings.MaxUploadBytes, cancellationToken);
                if (received > settings.MaxUploadBytes)
                {
                    return new(TooLarge(settings));
                }
            }
            else
            {
                // FastAPI ignores fields it does not know; so does the API, reading no more of one than of a field.
                await ReadFieldAsync(section, name ?? "(unnamed)", cancellationToken);
            }
        }

        return upload.Started
            ? new(null, recordingType, ticket, extension, contentType)
            : new(ApiProblem.Status(StatusCodes.Status422UnprocessableEntity, "Field required: recording"));
    }

    internal static UploadResponse ToResponse(string sessionId, UploadOutcome outcome)
    {
        var record = outcome.Record;
        var message = record.Storage == StorageType.Supabase
            ? $"Recording uploaded to Supabase successfully: {record.Filename}"
            : $"Recording saved locally (Supabase unavailable): {record.Filename}";
        return new UploadResponse(true, new RecordingPath(sessionId, record.Filename), record.Size, message, record.Storage.ToWire(),
            record.Filename, record.Sha256 ?? string.Empty);
    }

    internal static JsonHttpResult<ErrorDetail> TooLarge(RecordingsOptions settings) =>
        ApiProblem.Status(StatusCodes.Status413PayloadTooLarge,
            $"File too large: the limit is {settings.MaxUploadBytes} bytes ({settings.MaxUploadBytes / (1024.0 * 1024.0):0.#} MB)");

    // Reads a whole non-file part, refusing (400) one longer than MaxFieldBytes without reading the rest of it.
    private static async Task<string> ReadFieldAsync(MultipartSection section, string name, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(MultipartLimits.MaxFieldBytes + 1);
        try
        {
            var length = await section.Body.ReadAtLeastAsync(buffer.AsMemory(0, MultipartLimits.MaxFieldBytes + 1),
                MultipartLimits.MaxFieldBytes + 1, throwOnEndOfStream: false, cancellationToken);
            if (length > MultipartLimits.MaxFieldBytes)
            {
                throw new InvalidDataException($"the part '{name}' is longer than {MultipartLimits.MaxFieldBytes} bytes");
            }

            return System.Text.Encoding.UTF8.GetString(buffer, 0, length).Trim();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
