using System.Text.Json;
using System.Text.Json.Serialization;

namespace Recordings.Supabase;

// The JSON shapes of Supabase Storage's API, exactly as the contract names them.
// Timestamps stay strings here: they are parsed leniently so that one odd date never fails a whole listing.

internal sealed record ObjectInfoResponse(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("size")] long? Size,
    [property: JsonPropertyName("content_type")] string? ContentType,
    [property: JsonPropertyName("etag")] string? ETag,
    [property: JsonPropertyName("created_at")] string? CreatedAt);

internal sealed record ListObjectsRequest(
    [property: JsonPropertyName("prefix")] string Prefix,
    [property: JsonPropertyName("limit")] int Limit,
    [property: JsonPropertyName("offset")] int Offset,
    [property: JsonPropertyName("sortBy")] ListSortOrder SortBy);

internal sealed record ListSortOrder(
    [property: JsonPropertyName("column")] string Column,
    [property: JsonPropertyName("order")] string Order);

internal sealed record ListEntryResponse(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("created_at")] string? CreatedAt,
    [property: JsonPropertyName("metadata")] ListEntryMetadata? Metadata);

internal sealed record ListEntryMetadata(
    [property: JsonPropertyName("eTag")] string? ETag,
    [property: JsonPropertyName("size")] long? Size,
    [property: JsonPropertyName("mimetype")] string? MimeType);

internal sealed record DeleteObjectsRequest(
    [property: JsonPropertyName("prefixes")] IReadOnlyList<string> Prefixes);

internal sealed record DeletedObjectResponse(
    [property: JsonPropertyName("name")] string? Name);

internal sealed record SignObjectRequest(
    [property: JsonPropertyName("expiresIn")] int ExpiresIn);

internal sealed record SignedUrlResponse(
    [property: JsonPropertyName("signedURL")] string? SignedUrl);

internal sealed record CreateBucketRequest(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("public")] bool Public);

internal sealed record BucketResponse(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("public")] bool Public,
    [property: JsonPropertyName("file_size_limit")] JsonElement? FileSizeLimit,
    [property: JsonPropertyName("allowed_mime_types")] List<string>? AllowedMimeTypes);

[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(ObjectInfoResponse))]
[JsonSerializable(typeof(ListObjectsRequest))]
[JsonSerializable(typeof(List<ListEntryResponse>))]
[JsonSerializable(typeof(DeleteObjectsRequest))]
[JsonSerializable(typeof(List<DeletedObjectResponse>))]
[JsonSerializable(typeof(SignObjectRequest))]
[JsonSerializable(typeof(SignedUrlResponse))]
[JsonSerializable(typeof(CreateBucketRequest))]
[JsonSerializable(typeof(BucketResponse))]
internal sealed partial class SupabaseJsonContext : JsonSerializerContext;
