using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Recordings.Testing;

/// <summary>
/// Supabase's resumable upload (tus 1.0 at /upload/resumable), as the contract records it: real statuses and plain-text
/// bodies, hosted Supabase's part size (only the last part may be shorter), the object created by the last part.
/// </summary>
internal sealed partial class SupabaseStorageTestEndpoints
{
    private const string TusVersion = "1.0.0";
    private const string OffsetContentType = "application/offset+octet-stream";

    private readonly ConcurrentDictionary<string, SupabaseTestResumableUpload> resumable = new(StringComparer.Ordinal);

    /// <summary>Every part but the last must be exactly this long.</summary>
    public int ResumablePartBytes { get; set; } = 6 * 1024 * 1024;

    /// <summary>Build Location as a gateway that forwards nothing makes the real server do: wrong scheme, no port, no /storage/v1.</summary>
    public bool ResumableLocationIgnoresForwarding { get; set; }

    public IReadOnlyList<SupabaseResumableUploadView> ResumableUploads() =>
        [.. resumable.Values.Select(upload => upload.View())];

    private Task HandleResumableAsync(HttpContext context, string[] rest) => (context.Request.Method, rest) switch
    {
        ("POST", []) => CreateResumableAsync(context),
        ("HEAD", [var id]) => ResumableOffsetAsync(context, id),
        ("PATCH", [var id]) => AppendResumableAsync(context, id),
        _ => RouteNotFoundAsync(context, context.Request.Method, context.Request.Path),
    };

    private async Task CreateResumableAsync(HttpContext context)
    {
        if (!await TusPreconditionsAsync(context) || await AuthenticateAsync(context) is not { } role)
        {
            return;
        }

        var request = context.Request;
        if (!long.TryParse(request.Headers["Upload-Length"], NumberStyles.None, CultureInfo.InvariantCulture, out var length))
        {
            await WriteTextAsync(context, 400, "Upload-Length or Upload-Defer-Length header required");
            return;
        }

        var metadata = ParseTusMetadata(request.Headers["Upload-Metadata"].ToString());
        if (metadata is null || !metadata.TryGetValue("bucketName", out var bucketId) || !metadata.TryGetValue("objectName", out var objectName))
        {
            await WriteTextAsync(context, 400, "Upload-Metadata must name bucketName and objectName");
            return;
        }

        if (role == Role.Anon)
        {
            await WriteTextAsync(context, 403, "new row violates row-level security policy");
            return;
        }

        if (store.FindBucket(bucketId) is not { } bucket)
        {
            await WriteTextAsync(context, 404, "Bucket not found");
            return;
        }

        if (length > store.LimitFor(bucket))
        {
            await WriteTextAsync(context, 413, "Maximum size exceeded");
            return;
        }

        var upsert = string.Equals(request.Headers["x-upsert"], "true", StringComparison.OrdinalIgnoreCase);
        if (!upsert && store.Find(bucketId, objectName) is not null)
        {
            await WriteTextAsync(context, 409, "The resource already exists");
            return;
        }

        var id = Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{bucketId}/{objectName}/{Guid.NewGuid():N}"));
        var contentType = metadata.GetValueOrDefault("contentType") ?? "application/octet-stream";
        resumable[id] = new SupabaseTestResumableUpload(bucketId, objectName, contentType, upsert, length, store.NewIncomingPath());
        context.Response.StatusCode = 201;
        context.Response.Headers["Tus-Resumable"] = TusVersion;
        context.Response.Headers.Location = ResumableLocationIgnoresForwarding
            ? $"https://127.0.0.1/upload/resumable/{id}"
            : $"{request.Scheme}://{request.Host}/storage/v1/upload/resumable/{id}";
    }

    private async Task ResumableOffsetAsync(HttpContext context, string id)
    {
        if (!await TusPreconditionsAsync(context) || await AuthenticateAsync(context) is null)
        {
            return;
        }

        if (!resumable.TryGetValue(id, out var upload))
        {
            context.Response.StatusCode = 404;
            return;
        }

        context.Response.StatusCode = 200;
        context.Response.Headers["Tus-Resumable"] = TusVersion;
        context.Response.Headers["Upload-Offset"] = upload.Offset.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["Upload-Length"] = upload.Length.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers.CacheControl = "no-store";
    }

    private async Task AppendResumableAsync(HttpContext context, string id)
    {
        if (!await TusPreconditionsAsync(context) || await AuthenticateAsync(context) is null)
        {
            return;
        }

        var request = context.Request;
        if (!string.Equals(request.ContentType?.Split(';')[0].Trim(), OffsetContentType, StringComparison.OrdinalIgnoreCase))
        {
            await WriteTextAsync(context, 400, $"Content-Type must be {OffsetContentType}");
            return;
        }

        if (!resumable.TryGetValue(id, out var upload))
        {
            await WriteTextAsync(context, 404, "Upload not found");
            return;
        }

        if (!long.TryParse(request.Headers["Upload-Offset"], NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
        {
            await WriteTextAsync(context, 400, "Upload-Offset header required");
            return;
        }

        await upload.Gate.WaitAsync(context.RequestAborted);
        try
        {
            await AppendLockedAsync(context, upload, offset);
        }
        finally
        {
            upload.Gate.Release();
        }
    }

    private async Task AppendLockedAsync(HttpContext context, SupabaseTestResumableUpload upload, long offset)
    {
        if (offset != upload.Offset || upload.Completed)
        {
            await WriteTextAsync(context, 409, "Upload-Offset conflict");
            return;
        }

        if (context.Request.ContentLength > upload.Length - offset)
        {
            await WriteTextAsync(context, 413, "Maximum size exceeded");
            return;
        }

        // A part counts only once it arrived whole: it goes to its own file first.
        var part = upload.FilePath + ".part";
        long received;
        try
        {
            await using var file = new FileStream(part, FileMode.Create, FileAccess.Write, FileShare.None, 0, useAsync: true);
            await context.Request.Body.CopyToAsync(file, context.RequestAborted);
            received = file.Length;
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or BadHttpRequestException)
        {
            File.Delete(part);
            return;
        }

        var last = offset + received == upload.Length;
        string? refusal = offset + received > upload.Length ? "Maximum size exceeded"
            : !last && received != ResumablePartBytes ? $"Each part but the last must be {ResumablePartBytes} bytes, not {received}"
            : null;
        if (refusal is not null)
        {
            File.Delete(part);
            await WriteTextAsync(context, refusal.StartsWith("Maximum", StringComparison.Ordinal) ? 413 : 400, refusal);
            return;
        }

        await AppendFileAsync(part, upload.FilePath);
        File.Delete(part);
        upload.Offset += received;
        context.Response.Headers["Tus-Resumable"] = TusVersion;
        if (last)
        {
            var (outcome, _) = store.Commit(upload.Bucket, upload.ObjectName, await HashedAsync(upload.FilePath), upload.ContentType, upload.Upsert);
            if (outcome != SupabaseCommitOutcome.Stored)
            {
                upload.Offset -= received;
                await WriteTextAsync(context, outcome == SupabaseCommitOutcome.AlreadyExists ? 409 : 404,
                    outcome == SupabaseCommitOutcome.AlreadyExists ? "The resource already exists" : "Bucket not found");
                return;
            }

            upload.Completed = true;
            context.Response.Headers["Tus-Complete"] = "1";
        }

        context.Response.Headers["Upload-Offset"] = upload.Offset.ToString(CultureInfo.InvariantCulture);
        context.Response.StatusCode = 204;
    }

    private static async Task AppendFileAsync(string part, string target)
    {
        await using var source = new FileStream(part, FileMode.Open, FileAccess.Read, FileShare.Read, 0, useAsync: true);
        await using var destination = new FileStream(target, FileMode.Append, FileAccess.Write, FileShare.None, 0, useAsync: true);
        await source.CopyToAsync(destination);
    }

    // The assembled file becomes the object; a copy keeps HEAD answering after completion.
    private async Task<SupabaseReceivedBody> HashedAsync(string path)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 0, useAsync: true);
        return await store.ReceiveAsync(file, CancellationToken.None);
    }

    private static async Task<bool> TusPreconditionsAsync(HttpContext context)
    {
        if (context.Request.Headers["Tus-Resumable"] == TusVersion)
        {
            return true;
        }

        context.Response.Headers["Tus-Version"] = TusVersion;
        await WriteTextAsync(context, 412, "Unsupported TUS version");
        return false;
    }

    private static Dictionary<string, string>? ParseTusMetadata(string header)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in header.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = pair.Split(' ', 2);
            try
            {
                values[parts[0]] = parts.Length == 2 ? Encoding.UTF8.GetString(Convert.FromBase64String(parts[1])) : string.Empty;
            }
            catch (FormatException)
            {
                return null;
            }
        }

        return values;
    }

    private static async Task WriteTextAsync(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        context.Response.Headers["Tus-Resumable"] = TusVersion;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(text, context.RequestAborted);
    }
}

/// <summary>One resumable upload on the test server: its bytes so far in one file.</summary>
internal sealed class SupabaseTestResumableUpload(
    string bucket, string objectName, string contentType, bool upsert, long length, string filePath)
{
    public string Bucket { get; } = bucket;

    public string ObjectName { get; } = objectName;

    public string ContentType { get; } = contentType;

    public bool Upsert { get; } = upsert;

    public long Length { get; } = length;

    public string FilePath { get; } = filePath;

    public SemaphoreSlim Gate { get; } = new(1, 1);

    public long Offset { get; set; }

    public bool Completed { get; set; }

    public SupabaseResumableUploadView View() => new(Bucket, ObjectName, Offset, Length, Completed);
}

/// <summary>A resumable upload as a test sees it on the server.</summary>
public sealed record SupabaseResumableUploadView(string Bucket, string ObjectName, long Offset, long Length, bool Completed);
