using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Recordings.Supabase;

/// <summary>
/// Supabase's own resumable upload (tus 1.0 under /upload/resumable): the object appears, at the name given at
/// creation, once the last part arrives. Answers are real statuses with plain-text bodies.
/// </summary>
public sealed partial class SupabaseStorageClient
{
    /// <summary>Hosted Supabase takes parts of exactly this size; only the last part of an upload may be shorter.</summary>
    public const int ResumablePartBytes = 6 * 1024 * 1024;

    internal const string TusContentType = "application/offset+octet-stream";

    private const string TusRoute = "upload/resumable";

    /// <summary>
    /// Creates a resumable upload of <paramref name="length"/> bytes that becomes <paramref name="objectPath"/> (no
    /// upsert: a taken name fails with status 409). Returns the upload's id, for the other resumable calls.
    /// </summary>
    public async Task<string> CreateResumableUploadAsync(string objectPath, long length, string contentType, CancellationToken cancellationToken)
    {
        var path = ValidObjectPath(objectPath);
        EnsureConfigured();
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        using var request = TusRequest(HttpMethod.Post, TusRoute);
        request.Headers.TryAddWithoutValidation("Upload-Length", length.ToString(CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation("Upload-Metadata", string.Join(',',
            TusMetadata("bucketName", options.Bucket), TusMetadata("objectName", path),
            TusMetadata("contentType", contentType), TusMetadata("cacheControl", "3600")));
        string? location = null;
        var reply = await SendAsync("resumable create", path, request, cancellationToken,
            response => location = response.Headers.Location?.OriginalString).ConfigureAwait(false);
        EnsureSuccess(reply);

        // Behind a gateway that does not forward the host, the Location is wrong: only its last segment is trusted.
        return UploadIdOf(location) ?? throw Fail(reply, InvalidResponse(reply, "no upload id in Location"));
    }

    /// <summary>How many bytes of the upload Supabase holds (whole parts only); null when it knows no such upload.</summary>
    public async Task<long?> GetResumableOffsetAsync(string uploadId, CancellationToken cancellationToken)
    {
        using var request = TusRequest(HttpMethod.Head, UploadUri(uploadId));
        string? offset = null;
        var reply = await SendAsync("resumable offset", uploadId, request, cancellationToken,
            response => offset = HeaderOf(response, "Upload-Offset")).ConfigureAwait(false);
        if (reply.Failure is { HttpStatus: 404 or 410 })
        {
            return null;
        }

        EnsureSuccess(reply);
        return long.TryParse(offset, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Fail(reply, InvalidResponse(reply, "no Upload-Offset"));
    }

    /// <summary>
    /// Sends one part, <paramref name="count"/> bytes of <paramref name="file"/> from <paramref name="fileOffset"/>, at
    /// upload offset <paramref name="offset"/>; returns the new offset. A wrong offset fails with status 409 (ask
    /// <see cref="GetResumableOffsetAsync"/>). Never retried here; bounded by UploadTimeout and the caller's token.
    /// </summary>
    public async Task<long> AppendResumablePartAsync(
        string uploadId, long offset, SafeFileHandle file, long fileOffset, long count, CancellationToken cancellationToken)
    {
        using var request = TusRequest(HttpMethod.Patch, UploadUri(uploadId));
        request.Headers.TryAddWithoutValidation("Upload-Offset", offset.ToString(CultureInfo.InvariantCulture));
        request.Content = new SpoolPartContent(file, fileOffset, count);
        SupabaseResiliencePipeline.MarkAsStreamedUpload(request);
        string? newOffset = null;
        var reply = await SendAsync("resumable part", uploadId, request, cancellationToken,
            response => newOffset = HeaderOf(response, "Upload-Offset")).ConfigureAwait(false);
        EnsureSuccess(reply);
        return long.TryParse(newOffset, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value == offset + count
            ? value
            : throw Fail(reply, InvalidResponse(reply, $"Upload-Offset {newOffset ?? "missing"} after a part of {count} bytes at {offset}"));
    }

    /// <summary>Reads the object through and returns its size and lower-case hex SHA-256; null when there is no such object.</summary>
    public async Task<(long Size, string Sha256)?> HashObjectAsync(string objectPath, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, ObjectUri("object/authenticated", objectPath));
        var started = Stopwatch.GetTimestamp();
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested && NoAnswer("download", objectPath, exception) is { } failure)
        {
            metrics.RequestCompleted("download", NoAnswerStatus.Of(exception));
            SupabaseStorageLog.CallFailed(logger, "download", objectPath, Stopwatch.GetElapsedTime(started).TotalMilliseconds, failure.Message);
            throw failure;
        }

        using (response)
        {
            metrics.RequestCompleted("download", ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture));
            if (!response.IsSuccessStatusCode)
            {
                var body = await ReadBodyAsync(response, cancellationToken).ConfigureAwait(false);
                var failure = Redact(SupabaseErrorReader.Read("download", objectPath, response.StatusCode, response.Content.Headers.ContentType?.MediaType, body));
                if (failure.ErrorCode == SupabaseErrorCodes.NoSuchKey)
                {
                    return null;
                }

                SupabaseStorageLog.CallFailed(logger, "download", objectPath, Stopwatch.GetElapsedTime(started).TotalMilliseconds, failure.Message);
                throw failure;
            }

            await using var content = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[256 * 1024];
            long size = 0;
            int read;
            while ((read = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                sha256.AppendData(buffer, 0, read);
                size += read;
            }

            SupabaseStorageLog.CallCompleted(logger, "download", objectPath, (int)response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return (size, Convert.ToHexStringLower(sha256.GetHashAndReset()));
        }
    }

    /// <summary>The last path segment of a Location (absolute, relative, right or wrong), or null.</summary>
    internal static string? UploadIdOf(string? location)
    {
        if (string.IsNullOrWhiteSpace(location))
        {
            return null;
        }

        var path = location.Split('?', '#')[0].TrimEnd('/');
        var id = path[(path.LastIndexOf('/') + 1)..];
        return id.Length == 0 || id.Contains(':', StringComparison.Ordinal) ? null : id;
    }

    private Uri UploadUri(string uploadId)
    {
        EnsureConfigured();
        ArgumentException.ThrowIfNullOrWhiteSpace(uploadId);
        if (uploadId.IndexOfAny(['/', '?', '#']) >= 0 || uploadId is "." or "..")
        {
            throw new ArgumentException("An upload id is one path segment.", nameof(uploadId));
        }

        return new Uri($"{TusRoute}/{uploadId}", UriKind.Relative);
    }

    private static HttpRequestMessage TusRequest(HttpMethod method, string route) => TusRequest(method, new Uri(route, UriKind.Relative));

    private static HttpRequestMessage TusRequest(HttpMethod method, Uri uri)
    {
        var request = new HttpRequestMessage(method, uri);
        request.Headers.TryAddWithoutValidation("Tus-Resumable", "1.0.0");
        return request;
    }

    private static string TusMetadata(string key, string value) => key + " " + Convert.ToBase64String(Encoding.UTF8.GetBytes(value));

    private static string? HeaderOf(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
