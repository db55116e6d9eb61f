using Recordings.Abstractions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Recordings.Supabase;

namespace Recordings.Api.Apis;

/// <summary>The URLs the API hands out for Supabase recordings: public when the bucket is public, signed otherwise.</summary>
public sealed class RecordingLinks(SupabaseStorageClient supabase, IOptions<SupabaseOptions> options, ILogger<RecordingLinks> logger)
{
    private static readonly TimeSpan VisibilityCacheTime = TimeSpan.FromMinutes(5);
    private (bool IsPublic, DateTimeOffset ReadAt)? visibility;

    public string Bucket => options.Value.Bucket;

    public int SignedUrlExpirySeconds => options.Value.SignedUrlExpirySeconds;

    public string? PublicUrl(string sessionId, string filename) =>
        supabase.IsConfigured ? supabase.GetPublicUrl(new RecordingPath(sessionId, filename)) : null;

    /// <summary>Whether the bucket is public, read from Supabase at most every few minutes.</summary>
    public async Task<bool> IsBucketPublicAsync(CancellationToken cancellationToken)
    {
        if (visibility is { } known && DateTimeOffset.UtcNow - known.ReadAt < VisibilityCacheTime)
        {
            return known.IsPublic;
        }

        try
        {
            var bucket = await supabase.GetBucketAsync(cancellationToken);
            var isPublic = bucket?.Public ?? options.Value.CreatePublicBucket;
            visibility = (isPublic, DateTimeOffset.UtcNow);
            return isPublic;
        }
        catch (Exception exception)
        {
            logger.LogWarning("Could not read bucket visibility, assuming the configured default: {Reason}", exception.Message);
            return options.Value.CreatePublicBucket;
        }
    }

    public Task<string> SignedUrlAsync(string sessionId, string filename, CancellationToken cancellationToken) =>
        supabase.CreateSignedUrlAsync(new RecordingPath(sessionId, filename), options.Value.SignedUrlExpirySeconds, cancellationToken);
}
