using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Recordings.Testing;

/// <summary>
/// The Supabase Storage API (paths below /storage/v1) as the real server answers it: see
/// shared/supabase-storage-contract.md. Errors are HTTP 400 with the real status as a string in the body.
/// </summary>
internal sealed partial class SupabaseStorageTestEndpoints(SupabaseStorageTestStore store, SupabaseTestTokens tokens)
{
    private const int DefaultListLimit = 100;
    private const string CacheControl = "max-age=3600";

    // Node's JSON.stringify leaves quotes and apostrophes alone; so do we.
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private enum Role
    {
        ServiceRole,
        Anon,
    }

    public Task HandleAsync(HttpContext context, string path)
    {
        var method = context.Request.Method;
        var segments = path.TrimStart('/').Split('/');
        return segments switch
        {
            ["bucket"] when method == "GET" => ListBucketsAsync(context),
            ["bucket"] when method == "POST" => CreateBucketAsync(context),
            ["bucket", var id] when method == "GET" => GetBucketAsync(context, id),
            ["object", "list", var bucket] when method == "POST" => ListObjectsAsync(context, bucket),
            ["object", "info", var bucket, .. var key] when key.Length > 0 && method == "GET" => InfoAsync(context, bucket, Join(key)),
            ["object", "sign", var bucket] when method == "POST" => SignManyAsync(context, bucket),
            ["object", "sign", var bucket, .. var key] when key.Length > 0 && method == "POST" => SignAsync(context, bucket, Join(key)),
            ["object", "sign", var bucket, .. var key] when key.Length > 0 && IsRead(method) => ServeSignedAsync(context, bucket, Join(key)),
            ["object", "public", var bucket, .. var key] when key.Length > 0 && IsRead(method) => ServePublicAsync(context, bucket, Join(key)),
            ["object", "authenticated", var bucket, .. var key] when key.Length > 0 && IsRead(method) => ServeAuthenticatedAsync(context, bucket, Join(key)),
            ["object", var bucket] when method == "DELETE" => DeleteManyAsync(context, bucket),
            ["object", var bucket, .. var key] when key.Length > 0 && method is "POST" or "PUT" => UploadAsync(context, bucket, Join(key), upsert: method == "PUT"),
            ["object", var bucket, .. var key] when key.Length > 0 && IsRead(method) => ServeAuthenticatedAsync(context, bucket, Join(key)),
            ["object", var bucket, .. var key] when key.Length > 0 && method == "DELETE" => DeleteOneAsync(context, bucket, Join(key)),
            ["upload", "resumable", ..] => HandleResumableAsync(context, segments[2..]),
            _ => RouteNotFoundAsync(context, method, path),
        };
    }

    private async Task ListBucketsAsync(HttpContext context)
    {
        if (await AuthenticateAsync(context) is not { } role)
        {
            return;
        }

        var visible = role == Role.Anon ? [] : store.Buckets();
        await WriteJsonAsync(context, 200, visible.Select(BucketJson).ToArray());
    }

    private async Task CreateBucketAsync(HttpContext context)
    {
        if (await AuthenticateAsync(context) is not { } role || await ReadJsonAsync(context) is not { } body)
        {
            return;
        }

        if (role == Role.Anon)
        {
            await WriteErrorAsync(context, SupabaseTestError.RowLevelSecurity);
            return;
        }

        if (body["name"]?.GetValueKind() != JsonValueKind.String)
        {
            await WriteErrorAsync(context, SupabaseTestError.Validation("body must have required property 'name'"));
            return;
        }

        var name = body["name"]!.GetValue<string>();
        var id = body["id"]?.GetValueKind() == JsonValueKind.String ? body["id"]!.GetValue<string>() : name;
        var isPublic = body["public"]?.GetValueKind() == JsonValueKind.True;
        var (limit, limitBytes) = ReadFileSizeLimit(body["file_size_limit"]);
        var mimeTypes = body["allowed_mime_types"] is JsonArray types ? types.Select(t => t!.GetValue<string>()).ToArray() : null;

        if (!store.TryCreateBucket(new SupabaseTestBucket(id, name, isPublic, limit, limitBytes, mimeTypes, DateTimeOffset.UtcNow)))
        {
            await WriteErrorAsync(context, SupabaseTestError.BucketAlreadyExists);
            return;
        }

        await WriteJsonAsync(context, 200, new { name });
    }

    private async Task GetBucketAsync(HttpContext context, string id)
    {
        if (await AuthenticateAsync(context) is not { } role)
        {
            return;
        }

        if (role == Role.Anon || store.FindBucket(id) is not { } bucket)
        {
            await WriteErrorAsync(context, SupabaseTestError.NoSuchBucket);
            return;
        }

        await WriteJsonAsync(context, 200, BucketJson(bucket));
    }

    private async Task UploadAsync(HttpContext context, string bucketId, string key, bool upsert)
    {
        if (await AuthenticateAsync(context) is not { } role)
        {
            return;
        }

        if (role == Role.Anon)
        {
            await WriteErrorAsync(context, SupabaseTestError.RowLevelSecurity);
            return;
        }

        if (store.FindBucket(bucketId) is not { } bucket)
        {
            await WriteErrorAsync(context, SupabaseTestError.NoSuchBucket);
            return;
        }

        if (key.Split('/').Any(segment => segment is "." or ".."))
        {
            await WriteErrorAsync(context, SupabaseTestError.InvalidKey(key));
            return;
        }

        upsert |= string.Equals(context.Request.Headers["x-upsert"], "true", StringComparison.OrdinalIgnoreCase);
        if (!upsert && store.Find(bucketId, key) is not null)
        {
            await WriteErrorAsync(context, SupabaseTestError.KeyAlreadyExists);
            return;
        }

        // Like the real server, only a declared Content-Length is held against the limit: a chunked body of any
        // size is stored (the contract's "Limits worth knowing"), so clients must enforce limits themselves.
        if (context.Request.ContentLength > store.LimitFor(bucket))
        {
            await WriteErrorAsync(context, SupabaseTestError.EntityTooLarge);
            return;
        }

        var (body, contentType) = await OpenUploadBodyAsync(context);
        if (body is null)
        {
            await WriteErrorAsync(context, SupabaseTestError.NoContent);
            return;
        }

        if (bucket.AllowedMimeTypes is { } allowed && !allowed.Any(pattern => MimeTypeMatches(pattern, contentType)))
        {
            await WriteErrorAsync(context, SupabaseTestError.InvalidMimeType(contentType));
            return;
        }

        SupabaseReceivedBody received;
        try
        {
            received = await store.ReceiveAsync(body, context.RequestAborted);
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or BadHttpRequestException)
        {
            // The client went away mid-body: nothing is stored, and nobody is left to answer.
            return;
        }

        var (outcome, stored) = store.Commit(bucketId, key, received, contentType, upsert);
        switch (outcome)
        {
            case SupabaseCommitOutcome.NoBucket:
                await WriteErrorAsync(context, SupabaseTestError.NoSuchBucket);
                break;
            case SupabaseCommitOutcome.AlreadyExists:
                await WriteErrorAsync(context, SupabaseTestError.KeyAlreadyExists);
                break;
            default:
                await WriteJsonAsync(context, 200, new { Key = $"{bucketId}/{key}", Id = stored!.Id });
                break;
        }
    }

    // A binary body is the object; a multipart body carries it in its first part that has a file name.
    private static async Task<(Stream? Body, string ContentType)> OpenUploadBodyAsync(HttpContext context)
    {
        var requestType = context.Request.ContentType;
        if (!MediaTypeHeaderValue.TryParse(requestType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return (context.Request.Body, MediaTypeOnly(requestType) ?? "application/octet-stream");
        }

        var boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value;
        if (string.IsNullOrEmpty(boundary))
        {
            return (null, string.Empty);
        }

        var reader = new MultipartReader(boundary, context.Request.Body) { BodyLengthLimit = null };
        while (await reader.ReadNextSectionAsync(context.RequestAborted) is { } section)
        {
            if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) && disposition.IsFileDisposition())
            {
                return (section.Body, MediaTypeOnly(section.ContentType) ?? "application/octet-stream");
            }
        }

        return (null, string.Empty);
    }

    private async Task InfoAsync(HttpContext context, string bucketId, string key)
    {
        if (await AuthenticateAsync(context) is not { } role)
        {
            return;
        }

        if (store.FindBucket(bucketId) is null)
        {
            await WriteErrorAsync(context, SupabaseTestError.NoSuchBucket);
            return;
        }

        if (role == Role.Anon || store.Find(bucketId, key) is not { } found)
        {
            await WriteErrorAsync(context, SupabaseTestError.NoSuchKey);
            return;
        }

        await WriteJsonAsync(context, 200, new
        {
            id = found.Id,
            name = found.Path,
            version = found.Id,
            bucket_id = found.Bucket,
            size = found.Size,
            content_type = found.ContentType,
            cache_control = CacheControl,
            etag = Quoted(found.Md5Hex),
            metadata = new { },
            last_modified = Timestamp(found.UpdatedAt),
            created_at = Timestamp(found.CreatedAt),
        });
    }

    private async Task ListObjectsAsync(HttpContext context, string bucketId)
    {
        if (await AuthenticateAsync(context) is not { } role || await ReadJsonAsync(context) is not { } body)
        {
            return;
        }

        if (body["prefix"]?.GetValueKind() != JsonValueKind.String)
        {
            await WriteErrorAsync(context, SupabaseTestError.Validation("body must have required property 'prefix'"));
            return;
        }

        // Row-level security hides everything from the anon key, silently.
        if (role == Role.Anon)
        {
            await WriteJsonAsync(context, 200, Array.Empty<object>());
            return;
        }

        // The prefix is a folder: "a" and "a/" are the same, and names come back relative to it, one level deep.
        var folder = body["prefix"]!.GetValue<string>().Trim('/');
        var folderPrefix = folder.Length == 0 ? string.Empty : folder + "/";
        var search = body["search"]?.GetValueKind() == JsonValueKind.String ? body["search"]!.GetValue<string>() : string.Empty;
        var limit = body["limit"]?.GetValueKind() == JsonValueKind.Number ? body["limit"]!.GetValue<int>() : DefaultListLimit;
        var offset = body["offset"]?.GetValueKind() == JsonValueKind.Number ? body["offset"]!.GetValue<int>() : 0;
        var descending = string.Equals(body["sortBy"]?["order"]?.GetValue<string>(), "desc", StringComparison.OrdinalIgnoreCase);

        var files = new SortedDictionary<string, SupabaseTestObject?>(StringComparer.Ordinal);
        foreach (var item in store.List(bucketId).Where(o => o.Path.StartsWith(folderPrefix, StringComparison.Ordinal)))
        {
            var rest = item.Path[folderPrefix.Length..];
            var slash = rest.IndexOf('/');
            var name = slash < 0 ? rest : rest[..slash];
            if (name.StartsWith(search, StringComparison.OrdinalIgnoreCase))
            {
                files[name] = slash < 0 ? item : files.GetValueOrDefault(name);
            }
        }

        IEnumerable<KeyValuePair<string, SupabaseTestObject?>> ordered = descending ? files.Reverse() : files;
        var page = ordered.Skip(offset).Take(limit).Select(entry => entry.Value is { } file ? FileEntryJson(entry.Key, file) : FolderEntryJson(entry.Key));
        await WriteJsonAsync(context, 200, page.ToArray());
    }

    private async Task DeleteManyAsync(HttpContext context, string bucketId)
    {
        if (await AuthenticateAsync(context) is not { } role || await ReadJsonAsync(context) is not { } body)
        {
            return;
        }

        if (body["prefixes"] is not JsonArray prefixes)
        {
            await WriteErrorAsync(context, SupabaseTestError.Validation("body must have required property 'prefixes'"));
            return;
        }

        if (prefixes.Count == 0)
        {
            await WriteErrorAsync(context, SupabaseTestError.Validation("body/prefixes must NOT have fewer than 1 items"));
            return;
        }

        if (role == Role.Anon)
        {
            await WriteJsonAsync(context, 200, Array.Empty<object>());
            return;
        }

        var deleted = prefixes
            .Select(p => p?.GetValueKind() == JsonValueKind.String ? store.Delete(bucketId, p.GetValue<string>()) : null)
            .OfType<SupabaseTestObject>()
            .Select(o => new
            {
                bucket_id = o.Bucket,
                name = o.Path,
                owner = string.Empty,
                id = o.Id,
                updated_at = Timestamp(o.UpdatedAt),
                created_at = Timestamp(o.CreatedAt),
                last_accessed_at = Timestamp(o.UpdatedAt),
                metadata = ObjectMetadataJson(o),
                version = o.Id,
            });
        await WriteJsonAsync(context, 200, deleted.ToArray());
    }

    private async Task DeleteOneAsync(HttpContext context, string bucketId, string key)
    {
        if (await AuthenticateAsync(context) is not { } role)
        {
            return;
        }

        if (store.FindBucket(bucketId) is null)
        {
            await WriteErrorAsync(context, SupabaseTestError.NoSuchBucket);
            return;
        }

        if (role == Role.Anon || store.Delete(bucketId, key) is null)
        {
            await WriteErrorAsync(context, SupabaseTestError.NoSuchKey);
            return;
        }

        await WriteJsonAsync(context, 200, new { message = "Successfully deleted" });
    }

    private async Task SignAsync(HttpContext context, string bucketId, string key)
    {
        if (await AuthenticateAsync(context) is not { } role || await ReadJsonAsync(context) is not { } body)
        {
            return;
        }

        if (body["expiresIn"]?.GetValueKind() != JsonValueKind.Number)
        {
            await WriteErrorAsync(context, SupabaseTestError.Validation("body must have required property 'expiresIn'"));
            return;
        }

        if (role == Role.Anon || store.Find(bucketId, key) is null)
        {
            await WriteErrorAsync(context, SupabaseTestError.NoSuchKey);
            return;
        }

        await WriteJsonAsync(context, 200, new { signedURL = SignedUrl(bucketId, key, body["expiresIn"]!.GetValue<int>()) });
    }

    private async Task SignManyAsync(HttpContext context, string bucketId)
    {
        if (await AuthenticateAsync(context) is not { } role || await ReadJsonAsync(context) is not { } body)
        {
            return;
        }

        if (body["expiresIn"]?.GetValueKind() != JsonValueKind.Number || body["paths"] is not JsonArray paths)
        {
            await WriteErrorAsync(context, SupabaseTestError.Validation("body must have required property 'expiresIn' and 'paths'"));
            return;
        }

        var expiresIn = body["expiresIn"]!.GetValue<int>();
        var results = paths.Select(p => p!.GetValue<string>()).Select(key => role != Role.Anon && store.Find(bucketId, key) is not null
            ? new { error = (string?)null, path = key, signedURL = (string?)SignedUrl(bucketId, key, expiresIn) }
            : new { error = (string?)"Either the object does not exist or you do not have access to it", path = key, signedURL = (string?)null });
        await WriteJsonAsync(context, 200, results.ToArray());
    }

    private async Task ServeSignedAsync(HttpContext context, string bucketId, string key)
    {
        var token = context.Request.Query["token"].ToString();
        if (token.Length == 0)
        {
            await WriteErrorAsync(context, SupabaseTestError.Validation("querystring must have required property 'token'"));
            return;
        }

        var (payload, error) = tokens.Verify(token);
        if (payload is null)
        {
            await WriteErrorAsync(context, SupabaseTestError.InvalidJwt(error!));
            return;
        }

        if (payload["url"]?.GetValue<string>() != $"{bucketId}/{key}")
        {
            await WriteErrorAsync(context, SupabaseTestError.InvalidSignature);
            return;
        }

        await ServeAsync(context, store.Find(bucketId, key));
    }

    private async Task ServePublicAsync(HttpContext context, string bucketId, string key)
    {
        if (store.FindBucket(bucketId) is not { Public: true })
        {
            await WriteErrorAsync(context, SupabaseTestError.NoSuchBucket);
            return;
        }

        await ServeAsync(context, store.Find(bucketId, key));
    }

    private async Task ServeAuthenticatedAsync(HttpContext context, string bucketId, string key)
    {
        if (await AuthenticateAsync(context) is not { } role)
        {
            return;
        }

        if (store.FindBucket(bucketId) is not { } bucket)
        {
            await WriteErrorAsync(context, SupabaseTestError.NoSuchBucket);
            return;
        }

        await ServeAsync(context, role == Role.Anon && !bucket.Public ? null : store.Find(bucketId, key));
    }

    // Range (206), ETag, Last-Modified and ?download= handled the way browsers and players expect.
    private static async Task ServeAsync(HttpContext context, SupabaseTestObject? found)
    {
        if (found is null)
        {
            await WriteErrorAsync(context, SupabaseTestError.NoSuchKey);
            return;
        }

        string? downloadName = null;
        if (context.Request.Query.TryGetValue("download", out var download))
        {
            downloadName = download.ToString() is { Length: > 0 } name ? name : found.Path[(found.Path.LastIndexOf('/') + 1)..];
        }

        context.Response.Headers.CacheControl = CacheControl;
        var file = Results.File(
            found.FilePath,
            found.ContentType,
            downloadName,
            lastModified: found.UpdatedAt,
            entityTag: new EntityTagHeaderValue(Quoted(found.Md5Hex)),
            enableRangeProcessing: true);
        await file.ExecuteAsync(context);
    }

    private static Task RouteNotFoundAsync(HttpContext context, string method, string path) =>
        WriteJsonAsync(context, 404, new { message = $"Route {method}:{path} not found", error = "Not Found", statusCode = 404 });

    /// <summary>The caller's role, or null after answering with the auth error the real server gives.</summary>
    private async Task<Role?> AuthenticateAsync(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            await WriteErrorAsync(context, SupabaseTestError.MissingAuthorization);
            return null;
        }

        var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : header;
        var (payload, error) = tokens.Verify(token);
        if (payload is null)
        {
            await WriteErrorAsync(context, SupabaseTestError.AccessDenied(error!));
            return null;
        }

        return payload["role"]?.GetValue<string>() == "service_role" ? Role.ServiceRole : Role.Anon;
    }

    private static async Task<JsonObject?> ReadJsonAsync(HttpContext context)
    {
        try
        {
            if (await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) is JsonObject body)
            {
                return body;
            }
        }
        catch (JsonException)
        {
        }

        await WriteErrorAsync(context, SupabaseTestError.Validation("body must be object"));
        return null;
    }

    private string SignedUrl(string bucketId, string key, int expiresIn)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var token = tokens.Issue(new JsonObject { ["url"] = $"{bucketId}/{key}", ["iat"] = now, ["exp"] = now + expiresIn });
        var escapedKey = string.Join('/', key.Split('/').Select(Uri.EscapeDataString));
        return $"/object/sign/{Uri.EscapeDataString(bucketId)}/{escapedKey}?token={token}";
    }

    private static object BucketJson(SupabaseTestBucket bucket) => new
    {
        id = bucket.Id,
        name = bucket.Name,
        owner = string.Empty,
        @public = bucket.Public,
        file_size_limit = bucket.FileSizeLimit,
        allowed_mime_types = bucket.AllowedMimeTypes,
        created_at = Timestamp(bucket.CreatedAt),
        updated_at = Timestamp(bucket.CreatedAt),
    };

    private static object FileEntryJson(string name, SupabaseTestObject file) => new
    {
        name,
        id = (Guid?)file.Id,
        updated_at = Timestamp(file.UpdatedAt),
        created_at = Timestamp(file.CreatedAt),
        last_accessed_at = Timestamp(file.UpdatedAt),
        metadata = ObjectMetadataJson(file),
    };

    private static object FolderEntryJson(string name) => new
    {
        name,
        id = (Guid?)null,
        updated_at = (string?)null,
        created_at = (string?)null,
        last_accessed_at = (string?)null,
        metadata = (object?)null,
    };

    private static object ObjectMetadataJson(SupabaseTestObject file) => new
    {
        eTag = Quoted(file.Md5Hex),
        size = file.Size,
        mimetype = file.ContentType,
        cacheControl = CacheControl,
        lastModified = Timestamp(file.UpdatedAt),
        contentLength = file.Size,
        httpStatusCode = 200,
    };

    private static (object? AsSent, long? Bytes) ReadFileSizeLimit(JsonNode? value) => value?.GetValueKind() switch
    {
        JsonValueKind.Number => (value.GetValue<long>(), value.GetValue<long>()),
        JsonValueKind.String => (value.GetValue<string>(), ParseSize(value.GetValue<string>())),
        _ => (null, null),
    };

    // Supabase's units are powers of 1000: "500KB" is 500 000 bytes.
    private static long? ParseSize(string text)
    {
        var trimmed = text.Trim().ToUpperInvariant();
        var (digits, multiplier) = trimmed switch
        {
            _ when trimmed.EndsWith("KB", StringComparison.Ordinal) => (trimmed[..^2], 1_000m),
            _ when trimmed.EndsWith("MB", StringComparison.Ordinal) => (trimmed[..^2], 1_000_000m),
            _ when trimmed.EndsWith("GB", StringComparison.Ordinal) => (trimmed[..^2], 1_000_000_000m),
            _ when trimmed.EndsWith('B') => (trimmed[..^1], 1m),
            _ => (trimmed, 1m),
        };
        return decimal.TryParse(digits.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var value)
            ? (long)decimal.Floor(value * multiplier)
            : null;
    }

    private static bool MimeTypeMatches(string pattern, string contentType) =>
        pattern.EndsWith("/*", StringComparison.Ordinal)
            ? contentType.StartsWith(pattern[..^1], StringComparison.OrdinalIgnoreCase)
            : string.Equals(pattern, contentType, StringComparison.OrdinalIgnoreCase);

    private static string? MediaTypeOnly(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed) ? parsed.MediaType.Value : null;

    private static bool IsRead(string method) => method is "GET" or "HEAD";

    private static string Join(string[] segments) => string.Join('/', segments);

    private static string Quoted(string md5Hex) => $"\"{md5Hex}\"";

    private static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static Task WriteErrorAsync(HttpContext context, SupabaseTestError error) =>
        WriteJsonAsync(context, error.StatusCode == "500" ? 500 : 400,
            new { statusCode = error.StatusCode, error = error.Error, message = error.Message, code = error.Code });

    public static async Task WriteJsonAsync(HttpContext context, int status, object value)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(context.Response.Body, value, value.GetType(), Json, context.RequestAborted);
    }
}

/// <summary>An error body of the real server: the real status travels as a string in statusCode.</summary>
internal sealed record SupabaseTestError(string StatusCode, string Error, string Message, string Code)
{
    public static readonly SupabaseTestError NoSuchKey = new("404", "not_found", "Object not found", "NoSuchKey");
    public static readonly SupabaseTestError NoSuchBucket = new("404", "Bucket not found", "Bucket not found", "NoSuchBucket");
    public static readonly SupabaseTestError KeyAlreadyExists = new("409", "Duplicate", "The resource already exists", "KeyAlreadyExists");
    public static readonly SupabaseTestError BucketAlreadyExists = new("409", "Duplicate", "The resource already exists", "BucketAlreadyExists");
    public static readonly SupabaseTestError EntityTooLarge = new("413", "Payload too large", "The object exceeded the maximum allowed size", "EntityTooLarge");
    public static readonly SupabaseTestError NoContent = new("400", "InvalidRequest", "No content provided", "InvalidRequest");
    public static readonly SupabaseTestError MissingAuthorization = new("400", "Error", "headers must have required property 'authorization'", "InvalidRequest");
    public static readonly SupabaseTestError RowLevelSecurity = AccessDenied("new row violates row-level security policy");
    public static readonly SupabaseTestError InvalidSignature = new("400", "InvalidSignature", "The url do not match the signature", "InvalidSignature");
    public static readonly SupabaseTestError Internal = new("500", "internal", "Internal Server Error", "InternalError");

    public static SupabaseTestError AccessDenied(string message) => new("403", "Unauthorized", message, "AccessDenied");

    public static SupabaseTestError Validation(string message) => new("400", "Error", message, "InvalidRequest");

    public static SupabaseTestError InvalidKey(string key) => new("400", "InvalidKey", $"Invalid key: {key} contains dot path segment", "InvalidKey");

    public static SupabaseTestError InvalidMimeType(string contentType) =>
        new("415", "invalid_mime_type", $"mime type {contentType} is not supported", "InvalidMimeType");

    public static SupabaseTestError InvalidJwt(string message) => new("400", "InvalidJWT", message, "InvalidJWT");
}

/// <summary>
/// HS256 JWTs signed with a secret made per server instance: the service-role and anon keys, and signed-URL tokens.
/// Nothing key-like is written in source; every key exists only while its server runs.
/// </summary>
internal sealed class SupabaseTestTokens
{
    private static readonly byte[] Header = JsonSerializer.SerializeToUtf8Bytes(new { alg = "HS256", typ = "JWT" });
    private readonly byte[] secret = RandomNumberGenerator.GetBytes(32);

    public SupabaseTestTokens()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var validFor = (long)TimeSpan.FromDays(3650).TotalSeconds;
        ServiceRoleKey = Issue(new JsonObject { ["iss"] = "supabase-test", ["role"] = "service_role", ["iat"] = now, ["exp"] = now + validFor });
        AnonKey = Issue(new JsonObject { ["iss"] = "supabase-test", ["role"] = "anon", ["iat"] = now, ["exp"] = now + validFor });
    }

    public string ServiceRoleKey { get; }

    public string AnonKey { get; }

    public string Issue(JsonObject payload)
    {
        var signingInput = Base64Url.EncodeToString(Header) + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        return signingInput + "." + Base64Url.EncodeToString(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(signingInput)));
    }

    /// <summary>The payload of a valid token, or the message the real server gives for a bad one.</summary>
    public (JsonObject? Payload, string? Error) Verify(string token)
    {
        var parts = token.Split('.');
        JsonObject? payload = null;
        byte[]? signature = null;
        try
        {
            if (parts.Length == 3)
            {
                payload = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1])) as JsonObject;
                signature = Base64Url.DecodeFromChars(parts[2]);
            }
        }
        catch (Exception exception) when (exception is FormatException or JsonException)
        {
        }

        if (payload is null || signature is null)
        {
            return (null, "Invalid Compact JWS");
        }

        var expected = HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]));
        if (!CryptographicOperations.FixedTimeEquals(expected, signature))
        {
            return (null, "signature verification failed");
        }

        if (payload["exp"]?.GetValue<long>() is { } exp && exp < DateTimeOffset.UtcNow.ToUnixTimeSeconds())
        {
            return (null, "\"exp\" claim timestamp check failed");
        }

        return (payload, null);
    }
}
