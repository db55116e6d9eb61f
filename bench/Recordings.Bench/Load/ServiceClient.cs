using System.Diagnostics;
using System.Text.Json;

namespace Recordings.Bench.Load;

/// <summary>What a recorder client does against the recordings service: the seed's multipart upload, reads, deletes.</summary>
public sealed class ServiceClient
{
    private readonly HttpClient http;
    private readonly string? bearerToken;

    /// <param name="bearerToken">Sent on every request when the service has authentication on.</param>
    public ServiceClient(HttpClient http, string? bearerToken = null)
    {
        this.http = http;
        this.bearerToken = bearerToken;
        if (bearerToken is not null)
        {
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearerToken);
        }
    }

    public const string RecordingType = "session";

    public Uri BaseAddress => http.BaseAddress!;

    /// <summary>The same caller over another connection pool.</summary>
    public ServiceClient Over(HttpClient other) => new(other, bearerToken);

    /// <param name="typeFirst">
    /// recording_type before the file part lets the service stream to Supabase while the body arrives; after it, the
    /// service must spool the whole file and upload it afterwards.
    /// </param>
    public async Task<UploadResult> UploadAsync(string sessionId, long size, bool typeFirst, CancellationToken cancellationToken)
    {
        using var form = new MultipartFormDataContent();
        if (typeFirst)
        {
            form.Add(new StringContent(RecordingType), "recording_type");
        }

        form.Add(new RepeatedBlockContent(size), "recording", "interview.webm");
        if (!typeFirst)
        {
            form.Add(new StringContent(RecordingType), "recording_type");
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await http.PostAsync($"/recordings/upload/{sessionId}", form, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (!response.IsSuccessStatusCode)
            {
                return UploadResult.Failed(elapsed, $"HTTP {(int)response.StatusCode}: {BenchHttp.Excerpt(text)}");
            }

            using var json = JsonDocument.Parse(text);
            var root = json.RootElement;
            return new UploadResult(true, elapsed, size, root.GetProperty("storage_type").GetString(), root.GetProperty("file_path").GetString(), null);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException
                                          && !cancellationToken.IsCancellationRequested)
        {
            return UploadResult.Failed(Stopwatch.GetElapsedTime(started).TotalMilliseconds, $"{exception.GetType().Name}: {exception.Message}");
        }
    }

    /// <summary>GET of a path; the status code (0 when the request failed) and the time to the whole answer.</summary>
    public async Task<(int Status, double Milliseconds)> GetAsync(string path, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await http.GetAsync(path, HttpCompletionOption.ResponseContentRead, cancellationToken);
            return ((int)response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return (0, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    /// <summary>Deletes uploads by the file_path ("{session}/{filename}") the service answered; best effort.</summary>
    public async Task DeleteAsync(IEnumerable<string> filePaths, CancellationToken cancellationToken)
    {
        var options = new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(filePaths, options, async (filePath, token) =>
        {
            try
            {
                using var response = await http.DeleteAsync($"/recordings/{filePath}", token);
            }
            catch (HttpRequestException)
            {
                // Leftovers only cost disk in a temp folder.
            }
        });
    }
}
