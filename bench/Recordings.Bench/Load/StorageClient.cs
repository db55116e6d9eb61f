using System.Diagnostics;
using System.Net.Http.Json;
using Recordings.Bench.Hosting;

namespace Recordings.Bench.Load;

/// <summary>Straight to Supabase Storage with the key, as the service itself would call it: the reference for the service's overhead.</summary>
public sealed class StorageClient : IDisposable
{
    private const int DeleteBatch = 100;

    private readonly HttpClient http;

    public StorageClient(StorageServer server, string bucket, TimeSpan timeout)
    {
        Bucket = bucket;
        http = BenchHttp.Create(new Uri(server.Url.AbsoluteUri.TrimEnd('/') + "/storage/v1/"), timeout);
        http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer " + server.Key);
        http.DefaultRequestHeaders.TryAddWithoutValidation("apikey", server.Key);
    }

    public string Bucket { get; }

    /// <summary>Creates the bucket (public, as the service would) unless it exists.</summary>
    public async Task EnsureBucketAsync(CancellationToken cancellationToken)
    {
        using var found = await http.GetAsync($"bucket/{Bucket}", cancellationToken);
        if (found.IsSuccessStatusCode)
        {
            return;
        }

        using var created = await http.PostAsJsonAsync("bucket", new { id = Bucket, name = Bucket, @public = true }, cancellationToken);
        var text = await created.Content.ReadAsStringAsync(cancellationToken);
        // Losing the race to the service's own bucket creation is fine.
        if (!created.IsSuccessStatusCode && !text.Contains("409", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Could not create bucket {Bucket}: HTTP {(int)created.StatusCode}: {BenchHttp.Excerpt(text)}");
        }
    }

    public async Task<UploadResult> UploadAsync(string objectPath, long size, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var content = new RepeatedBlockContent(size);
            using var response = await http.PostAsync($"object/{Bucket}/{objectPath}", content, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            return response.IsSuccessStatusCode
                ? new UploadResult(true, elapsed, size, "supabase", objectPath, null)
                : UploadResult.Failed(elapsed, $"HTTP {(int)response.StatusCode}: {BenchHttp.Excerpt(text)}");
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return UploadResult.Failed(Stopwatch.GetElapsedTime(started).TotalMilliseconds, $"{exception.GetType().Name}: {exception.Message}");
        }
    }

    /// <summary>Removes objects in batches (DELETE /object/{bucket} with prefixes); best effort.</summary>
    public async Task DeleteAsync(IReadOnlyList<string> objectPaths, CancellationToken cancellationToken)
    {
        foreach (var batch in objectPaths.Chunk(DeleteBatch))
        {
            using var request = new HttpRequestMessage(HttpMethod.Delete, $"object/{Bucket}") { Content = JsonContent.Create(new { prefixes = batch }) };
            try
            {
                using var response = await http.SendAsync(request, cancellationToken);
            }
            catch (HttpRequestException)
            {
                // Leftovers only cost disk.
            }
        }
    }

    public void Dispose() => http.Dispose();
}
