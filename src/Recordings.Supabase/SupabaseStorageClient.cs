using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Recordings.Supabase;

/// <summary>
/// Typed client for Supabase Storage (the REST API under {Url}/storage/v1), for the one configured bucket.
/// Every failure surfaces as <see cref="SupabaseStorageException"/>, including an open circuit
/// (ErrorCode CircuitOpen) and timeouts (ErrorCode Timeout); a cancelled <c>cancellationToken</c> gives
/// OperationCanceledException as usual.
/// </summary>
public sealed partial class SupabaseStorageClient
{
    // The page size Supabase's own clients use; a full page means there may be more.
    private const int ListPageSize = 100;

    private readonly HttpClient http;
    private readonly SupabaseOptions options;
    private readonly ILogger<SupabaseStorageClient> logger;
    private readonly SupabaseMetrics metrics;
    private readonly SupabaseUploadRules uploadRules;
    private readonly string? key;

    public SupabaseStorageClient(
        HttpClient http, IOptions<SupabaseOptions> options, SupabaseUploadRules uploadRules, SupabaseMetrics metrics,
        ILogger<SupabaseStorageClient> logger)
    {
        this.http = http;
        this.options = options.Value;
        this.uploadRules = uploadRules;
        this.metrics = metrics;
        this.logger = logger;
        if (this.options.IsConfigured)
        {
            key = this.options.Key!.Trim();
            http.BaseAddress = this.options.StorageRoot;
            // Without validation: a malformed key must not end up quoted in a FormatException.
            http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer " + key);
            http.DefaultRequestHeaders.TryAddWithoutValidation("apikey", key);
        }

        // The resilience pipeline owns every timeout (RequestTimeout per attempt, UploadTimeout per upload).
        http.Timeout = Timeout.InfiniteTimeSpan;
    }

    public bool IsConfigured => options.IsConfigured;

    public string Bucket => options.Bucket;

    /// <summary>
    /// Streams <paramref name="content"/> to a new object, chunked, as it is read. Fails with KeyAlreadyExists when
    /// the path is taken (no upsert). Never retried: the body cannot be replayed. Bounded by UploadTimeout.
    /// If reading <paramref name="content"/> throws, that exception is rethrown as is.
    /// What the bucket refuses is refused here, unsent or cut off as soon as it is known, the way Supabase would
    /// answer it: InvalidMimeType (415) for a type outside allowed_mime_types, EntityTooLarge (413) past the size limit.
    /// </summary>
    public async Task UploadAsync(string objectPath, Stream content, string contentType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var maxBytes = uploadRules.MaxObjectBytes;
        ThrowIfRefused(objectPath, contentType, content.CanSeek ? content.Length - content.Position : null);
        using var body = new StreamedUploadContent(content, contentType, maxBytes, () => TooLarge(objectPath, maxBytes ?? 0));
        await PostObjectAsync(objectPath, body, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends a file held whole in memory as one body of known length, straight from <paramref name="data"/> (no copy,
    /// no chunked encoding). Refusals, KeyAlreadyExists and the time bound are those of the streamed upload.
    /// </summary>
    public async Task UploadAsync(string objectPath, ReadOnlyMemory<byte> data, string contentType, CancellationToken cancellationToken)
    {
        ThrowIfRefused(objectPath, contentType, data.Length);
        using var body = new ReadOnlyMemoryContent(data);
        body.Headers.TryAddWithoutValidation("Content-Type", contentType);
        await PostObjectAsync(objectPath, body, cancellationToken).ConfigureAwait(false);
    }

    private void ThrowIfRefused(string objectPath, string contentType, long? length)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(contentType);
        var maxBytes = uploadRules.MaxObjectBytes;
        var refusal = !uploadRules.Allows(contentType)
            ? Refusal(objectPath, "415", SupabaseErrorCodes.InvalidMimeType, $"mime type {contentType} is not in the bucket's allowed_mime_types")
            : length > maxBytes ? TooLarge(objectPath, maxBytes.Value) : null;
        if (refusal is not null)
        {
            metrics.RequestCompleted("upload", NoAnswerStatus.RefusedByClient);
            SupabaseStorageLog.CallFailed(logger, "upload", objectPath, 0, refusal.Message);
            throw refusal;
        }
    }

    // Never retried, whatever the body: an answer lost after the object was made would make the retry a 409.
    private async Task PostObjectAsync(string objectPath, HttpContent body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, ObjectUri("object", objectPath)) { Content = body };
        SupabaseResiliencePipeline.MarkAsStreamedUpload(request);
        var reply = await SendAsync("upload", objectPath, request, cancellationToken).ConfigureAwait(false);
        EnsureSuccess(reply);
    }

    /// <summary>Deletes one object; true when it existed (Supabase lists the rows it deleted).</summary>
    public async Task<bool> DeleteAsync(string objectPath, CancellationToken cancellationToken)
    {
        var path = ValidObjectPath(objectPath);
        using var request = new HttpRequestMessage(HttpMethod.Delete, BucketUri("object"))
        {
            Content = JsonBody(new DeleteObjectsRequest([path]), SupabaseJsonContext.Default.DeleteObjectsRequest),
        };
        var reply = await SendAsync("delete", path, request, cancellationToken).ConfigureAwait(false);
        var deleted = Read(reply, SupabaseJsonContext.Default.ListDeletedObjectResponse);
        return deleted.Any(row => string.Equals(row.Name, path, StringComparison.Ordinal));
    }

    /// <summary>The objects directly in <paramref name="folder"/> (names relative to it), all pages, sub-folders left out.</summary>
    public async Task<IReadOnlyList<StorageObject>> ListAsync(string folder, CancellationToken cancellationToken)
    {
        var entries = await ListEntriesAsync(folder, cancellationToken).ConfigureAwait(false);

        // Sub-folders come back as entries without an id.
        return entries
            .Where(entry => entry.Id is not null && !string.IsNullOrEmpty(entry.Name))
            .Select(entry => new StorageObject(
                entry.Name!,
                entry.Metadata?.Size ?? 0,
                entry.Metadata?.MimeType,
                Unquote(entry.Metadata?.ETag),
                ParseTime(entry.CreatedAt)))
            .ToList();
    }

    /// <summary>The names of the sub-folders directly in <paramref name="folder"/> ("" for the bucket's top level), all pages.</summary>
    public async Task<IReadOnlyList<string>> ListFoldersAsync(string folder, CancellationToken cancellationToken)
    {
        var entries = await ListEntriesAsync(folder, cancellationToken).ConfigureAwait(false);
        return entries.Where(entry => entry.Id is null && !string.IsNullOrEmpty(entry.Name)).Select(entry => entry.Name!).ToList();
    }

    private async Task<List<ListEntryResponse>> ListEntriesAsync(string folder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(folder);
        EnsureConfigured();
        var prefix = folder.Trim('/');
        var entries = new List<ListEntryResponse>();
        for (var offset = 0; ; offset += ListPageSize)
        {
            var query = new ListObjectsRequest(prefix, ListPageSize, offset, new ListSortOrder("name", "asc"));
            using var request = new HttpRequestMessage(HttpMethod.Post, BucketUri("object/list"))
            {
                Content = JsonBody(query, SupabaseJsonContext.Default.ListObjectsRequest),
            };
            var reply = await SendAsync("list", prefix, request, cancellationToken).ConfigureAwait(false);
            var page = Read(reply, SupabaseJsonContext.Default.ListListEntryResponse);
            entries.AddRange(page);
            if (page.Count < ListPageSize)
            {
                return entries;
            }
        }
    }

    /// <summary>The object's size, type, ETag and creation time; null when there is no such object.</summary>
    public async Task<StorageObjectInfo?> GetInfoAsync(string objectPath, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, ObjectUri("object/info", objectPath));
        var reply = await SendAsync("info", objectPath, request, cancellationToken).ConfigureAwait(false);
        if (reply.Failure is { ErrorCode: SupabaseErrorCodes.NoSuchKey })
        {
            return null;
        }

        var info = Read(reply, SupabaseJsonContext.Default.ObjectInfoResponse);
        return new StorageObjectInfo(info.Name ?? objectPath, info.Size ?? 0, info.ContentType, Unquote(info.ETag), ParseTime(info.CreatedAt));
    }

    /// <summary>An absolute URL that downloads the object without a key until it expires.</summary>
    public async Task<string> CreateSignedUrlAsync(string objectPath, int expiresInSeconds, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(expiresInSeconds);
        using var request = new HttpRequestMessage(HttpMethod.Post, ObjectUri("object/sign", objectPath))
        {
            Content = JsonBody(new SignObjectRequest(expiresInSeconds), SupabaseJsonContext.Default.SignObjectRequest),
        };
        var reply = await SendAsync("sign", objectPath, request, cancellationToken).ConfigureAwait(false);
        var signed = Read(reply, SupabaseJsonContext.Default.SignedUrlResponse);
        if (string.IsNullOrEmpty(signed.SignedUrl))
        {
            throw Fail(reply, InvalidResponse(reply, "no signedURL in the answer"));
        }

        if (Uri.TryCreate(signed.SignedUrl, UriKind.Absolute, out var absolute) && absolute.Scheme.StartsWith("http", StringComparison.Ordinal))
        {
            return signed.SignedUrl;
        }

        // Supabase answers relative to the storage root: /object/sign/{bucket}/{path}?token=...
        return options.StorageRoot.AbsoluteUri.TrimEnd('/') + "/" + signed.SignedUrl.TrimStart('/');
    }

    /// <summary>The URL of the object in a public bucket; no request is made.</summary>
    public string GetPublicUrl(string objectPath)
    {
        EnsureConfigured();
        return options.StorageRoot.AbsoluteUri + ObjectUri("object/public", objectPath).OriginalString;
    }

    /// <summary>The configured bucket, or null when it does not exist.</summary>
    public async Task<BucketInfo?> GetBucketAsync(CancellationToken cancellationToken)
    {
        EnsureConfigured();
        using var request = new HttpRequestMessage(HttpMethod.Get, BucketUri("bucket"));
        var reply = await SendAsync("get bucket", options.Bucket, request, cancellationToken).ConfigureAwait(false);
        if (reply.Failure is { ErrorCode: SupabaseErrorCodes.NoSuchBucket })
        {
            return null;
        }

        var bucket = Read(reply, SupabaseJsonContext.Default.BucketResponse);
        var info = new BucketInfo(
            bucket.Id ?? options.Bucket,
            bucket.Name ?? options.Bucket,
            bucket.Public,
            FileSizeLimitParser.Parse(bucket.FileSizeLimit),
            bucket.AllowedMimeTypes);
        uploadRules.Learn(info);
        return info;
    }

    /// <summary>Creates the configured bucket (public per CreatePublicBucket) unless it exists; losing a creation race is fine.</summary>
    public async Task EnsureBucketAsync(CancellationToken cancellationToken)
    {
        if (await GetBucketAsync(cancellationToken).ConfigureAwait(false) is not null)
        {
            return;
        }

        var create = new CreateBucketRequest(options.Bucket, options.Bucket, options.CreatePublicBucket);
        using var request = new HttpRequestMessage(HttpMethod.Post, "bucket")
        {
            Content = JsonBody(create, SupabaseJsonContext.Default.CreateBucketRequest),
        };
        var reply = await SendAsync("create bucket", options.Bucket, request, cancellationToken).ConfigureAwait(false);
        if (reply.Failure is { StatusCode: "409" } or { ErrorCode: SupabaseErrorCodes.BucketAlreadyExists })
        {
            return;
        }

        EnsureSuccess(reply);
        SupabaseStorageLog.BucketCreated(logger, options.Bucket, options.CreatePublicBucket);
    }

    /// <summary>
    /// Sends one request through the resilience pipeline. An error answer comes back as a failed reply (the caller
    /// decides whether it is normal, like NoSuchKey); no answer at all is logged and thrown here.
    /// </summary>
    private async Task<SupabaseReply> SendAsync(
        string operation, string target, HttpRequestMessage request, CancellationToken cancellationToken,
        Action<HttpResponseMessage>? readHeaders = null)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            readHeaders?.Invoke(response);
            var body = await ReadBodyAsync(response, cancellationToken).ConfigureAwait(false);
            var elapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            SupabaseStorageLog.CallCompleted(logger, operation, target, (int)response.StatusCode, elapsedMs);
            metrics.RequestCompleted(operation, ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture));
            var failure = response.IsSuccessStatusCode
                ? null
                : Redact(SupabaseErrorReader.Read(operation, target, response.StatusCode, response.Content.Headers.ContentType?.MediaType, body));
            return new SupabaseReply(operation, target, (int)response.StatusCode, elapsedMs, body, failure);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            var elapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (request.Content is StreamedUploadContent { SourceFailure: { } sourceFailure })
            {
                if (sourceFailure is SupabaseStorageException refused)
                {
                    metrics.RequestCompleted(operation, NoAnswerStatus.RefusedByClient);
                    SupabaseStorageLog.CallFailed(logger, operation, target, elapsedMs, refused.Message);
                }
                else
                {
                    metrics.RequestCompleted(operation, NoAnswerStatus.SourceFailed);
                    SupabaseStorageLog.UploadSourceFailed(logger, target, sourceFailure.Message);
                }

                ExceptionDispatchInfo.Throw(sourceFailure);
            }

            metrics.RequestCompleted(operation, NoAnswerStatus.Of(exception));
            if (NoAnswer(operation, target, exception) is { } failure)
            {
                SupabaseStorageLog.CallFailed(logger, operation, target, elapsedMs, failure.Message);
                throw failure;
            }

            throw;
        }
        catch (OperationCanceledException)
        {
            metrics.RequestCompleted(operation, NoAnswerStatus.Cancelled);
            throw;
        }
    }

    // Small answers are read whole; a server that sends headers and then stalls is cut off like a stalled call.
    private async Task<string> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.RequestTimeout);
        return await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
    }

    private SupabaseStorageException? NoAnswer(string operation, string target, Exception exception)
    {
        var what = $"Supabase {operation} of '{target}' failed";
        return exception switch
        {
            BrokenCircuitException => new SupabaseStorageException(
                $"{what}: Supabase failed repeatedly just before; not retrying for up to {options.CircuitBreakDuration.TotalSeconds:0.#} s",
                "503", SupabaseErrorCodes.CircuitOpen, 0, exception),
            TimeoutRejectedException timeout => new SupabaseStorageException(
                $"{what}: no answer within {timeout.Timeout.TotalSeconds:0.###} s",
                "504", SupabaseErrorCodes.Timeout, 0, exception),
            OperationCanceledException => new SupabaseStorageException(
                $"{what}: timed out", "504", SupabaseErrorCodes.Timeout, 0, exception),
            HttpRequestException => new SupabaseStorageException(
                Redact($"{what}: could not reach Supabase ({exception.Message})"),
                "503", SupabaseErrorCodes.ConnectionFailed, 0, exception),
            _ => null,
        };
    }

    private static SupabaseStorageException TooLarge(string objectPath, long maxBytes) =>
        Refusal(objectPath, "413", SupabaseErrorCodes.EntityTooLarge,
            $"the object exceeded the maximum allowed size, {maxBytes} bytes (the bucket's file_size_limit or Supabase:GlobalFileSizeLimit)");

    // Named like Supabase's own refusal ("... (EntityTooLarge)"), with no HTTP status: Supabase was not asked.
    private static SupabaseStorageException Refusal(string objectPath, string statusCode, string errorCode, string reason) =>
        new($"Supabase upload of '{objectPath}' refused by the client: {reason} ({errorCode})", statusCode, errorCode, 0);

    private void EnsureSuccess(SupabaseReply reply)
    {
        if (reply.Failure is { } failure)
        {
            throw Fail(reply, failure);
        }
    }

    private T Read<T>(SupabaseReply reply, JsonTypeInfo<T> type)
    {
        EnsureSuccess(reply);
        try
        {
            return JsonSerializer.Deserialize(reply.Body, type) ?? throw new JsonException("the answer was null");
        }
        catch (JsonException exception)
        {
            throw Fail(reply, InvalidResponse(reply, exception.Message));
        }
    }

    private SupabaseStorageException Fail(SupabaseReply reply, SupabaseStorageException failure)
    {
        SupabaseStorageLog.CallFailed(logger, reply.Operation, reply.Target, reply.ElapsedMs, failure.Message);
        return failure;
    }

    private static SupabaseStorageException InvalidResponse(SupabaseReply reply, string reason) =>
        new($"Supabase {reply.Operation} of '{reply.Target}' failed: unexpected answer ({reason})",
            reply.HttpStatus.ToString(CultureInfo.InvariantCulture), SupabaseErrorCodes.InvalidResponse, reply.HttpStatus);

    private Uri ObjectUri(string route, string objectPath)
    {
        EnsureConfigured();
        var escapedPath = string.Join('/', ValidObjectPath(objectPath).Split('/').Select(Uri.EscapeDataString));
        return new Uri($"{route}/{Uri.EscapeDataString(options.Bucket)}/{escapedPath}", UriKind.Relative);
    }

    private Uri BucketUri(string route)
    {
        EnsureConfigured();
        return new Uri($"{route}/{Uri.EscapeDataString(options.Bucket)}", UriKind.Relative);
    }

    // Uri would silently fold "." and ".." segments, storing the object somewhere else than asked.
    private static string ValidObjectPath(string objectPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(objectPath);
        if (objectPath.Split('/').Any(segment => segment is "" or "." or ".."))
        {
            throw new ArgumentException("An object path needs non-empty segments other than '.' and '..'.", nameof(objectPath));
        }

        return objectPath;
    }

    private void EnsureConfigured()
    {
        if (!options.IsConfigured)
        {
            throw new InvalidOperationException("Supabase is not configured (Supabase:Url and Supabase:Key).");
        }
    }

    private static ByteArrayContent JsonBody<T>(T value, JsonTypeInfo<T> type)
    {
        // Bytes, not JsonContent: a known length, and replayable when a retry sends the request again.
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(value, type));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static string? Unquote(string? etag) => etag?.Trim().Trim('"');

    private static DateTimeOffset? ParseTime(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;

    // A server or gateway message could quote a header back; the key never leaves in an exception.
    private SupabaseStorageException Redact(SupabaseStorageException failure) =>
        key is not null && failure.Message.Contains(key, StringComparison.Ordinal)
            ? new SupabaseStorageException(Redact(failure.Message), failure.StatusCode, failure.ErrorCode, failure.HttpStatus, failure.InnerException)
            : failure;

    private string Redact(string text) => key is null ? text : text.Replace(key, "[redacted]", StringComparison.Ordinal);

    // The "status" tag of recordings.supabase.requests when no HTTP status came back.
    private static class NoAnswerStatus
    {
        public const string SourceFailed = "source_failed";
        public const string RefusedByClient = "refused_by_client";
        public const string Cancelled = "cancelled";

        public static string Of(Exception exception) => exception switch
        {
            BrokenCircuitException => "circuit_open",
            TimeoutRejectedException or OperationCanceledException => "timeout",
            HttpRequestException => "connection_failed",
            _ => "error",
        };
    }

    private sealed record SupabaseReply(string Operation, string Target, int HttpStatus, double ElapsedMs, string Body, SupabaseStorageException? Failure);
}
