using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Recordings.Testing;

namespace Recordings.Bench.Load;

/// <summary>
/// A recorder uploading through the service's tus 1.0.0 endpoint as tus-js-client does: POST with Upload-Length and
/// Upload-Metadata (filename, filetype, recording_type), then one PATCH per chunk at the offset the last answer gave.
/// </summary>
/// <param name="http">A client of the service (with the bearer token, if any, in its default headers).</param>
public sealed class TusClient(HttpClient http, int patchBytes)
{
    private const string OffsetStream = "application/offset+octet-stream";

    private static readonly string Metadata = TusHttp.Metadata(
        ("filename", "interview.webm"), ("filetype", "video/webm"), ("recording_type", ServiceClient.RecordingType));

    // One random block, as large as a PATCH: every PATCH body is a slice of it, so the client holds one block in all.
    private readonly byte[] block = RandomNumberGenerator.GetBytes(patchBytes);

    /// <summary>The whole upload, creation to the PATCH that completes it; the time is from POST sent to last answer read.</summary>
    public async Task<UploadResult> UploadAsync(string sessionId, long size, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var url = await CreateAsync(sessionId, size, cancellationToken);
            string? filePath = null;
            for (long offset = 0; offset < size;)
            {
                var count = (int)Math.Min(patchBytes, size - offset);
                (offset, filePath) = await PatchAsync(url, offset, count, uploadLength: null, cancellationToken);
            }

            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (filePath is null)
            {
                return UploadResult.Failed(elapsed, "the last PATCH answered without Recording-File-Path");
            }

            // Not timed: which store took it, so a fall back to the silo's disk shows in the figures.
            var storageType = await StorageTypeAsync(url, cancellationToken);
            return new UploadResult(true, elapsed, size, storageType, filePath, null);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or TusException or JsonException or KeyNotFoundException
                                          && !cancellationToken.IsCancellationRequested)
        {
            return UploadResult.Failed(Stopwatch.GetElapsedTime(started).TotalMilliseconds, $"{exception.GetType().Name}: {exception.Message}");
        }
    }

    /// <summary>
    /// A progressive recorder: a deferred-length upload fed <paramref name="slices"/> PATCHes of <paramref name="sliceBytes"/>
    /// back to back (a MediaRecorder slice each), the last one carrying Upload-Length; each PATCH's time goes to <paramref name="patched"/>.
    /// </summary>
    public async Task<UploadResult> RecordAsync(
        string sessionId, int sliceBytes, int slices, Action<double> patched, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sliceBytes, patchBytes);
        var size = (long)sliceBytes * slices;
        var started = Stopwatch.GetTimestamp();
        try
        {
            var url = await CreateAsync(sessionId, size: null, cancellationToken);
            string? filePath = null;
            for (var slice = 0; slice < slices; slice++)
            {
                var patchStarted = Stopwatch.GetTimestamp();
                (_, filePath) = await PatchAsync(url, (long)slice * sliceBytes, sliceBytes, slice == slices - 1 ? size : null, cancellationToken);
                patched(Stopwatch.GetElapsedTime(patchStarted).TotalMilliseconds);
            }

            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            return filePath is null
                ? UploadResult.Failed(elapsed, "the last PATCH answered without Recording-File-Path")
                : new UploadResult(true, elapsed, size, await StorageTypeAsync(url, cancellationToken), filePath, null);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or TusException or JsonException or KeyNotFoundException
                                          && !cancellationToken.IsCancellationRequested)
        {
            return UploadResult.Failed(Stopwatch.GetElapsedTime(started).TotalMilliseconds, $"{exception.GetType().Name}: {exception.Message}");
        }
    }

    /// <param name="size">Null: Upload-Defer-Length, the length comes with a later PATCH.</param>
    private async Task<string> CreateAsync(string sessionId, long? size, CancellationToken cancellationToken)
    {
        using var request = TusHttp.Request(HttpMethod.Post, TusHttp.Endpoint(sessionId));
        if (size is { } length)
        {
            request.Headers.Add("Upload-Length", length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        else
        {
            request.Headers.Add("Upload-Defer-Length", "1");
        }

        request.Headers.Add("Upload-Metadata", Metadata);
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Created || response.Headers.Location is not { } location)
        {
            throw await TusException.FromAsync("POST", response, cancellationToken);
        }

        return location.OriginalString;
    }

    /// <param name="uploadLength">Upload-Length, sent once a deferred-length upload knows it.</param>
    /// <returns>The offset the service answered, and the recording's "{session}/{filename}" once the upload is complete.</returns>
    private async Task<(long Offset, string? FilePath)> PatchAsync(
        string url, long offset, int count, long? uploadLength, CancellationToken cancellationToken)
    {
        using var request = TusHttp.Request(HttpMethod.Patch, url);
        request.Headers.Add("Upload-Offset", offset.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (uploadLength is { } length)
        {
            request.Headers.Add("Upload-Length", length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        request.Content = new ByteArrayContent(block, 0, count);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(OffsetStream);
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.NoContent ||
            !response.Headers.TryGetValues("Upload-Offset", out var offsets) || !long.TryParse(offsets.First(), out var next) || next != offset + count)
        {
            throw await TusException.FromAsync($"PATCH at {offset}", response, cancellationToken);
        }

        var filePath = response.Headers.TryGetValues("Recording-File-Path", out var paths) ? paths.First() : null;
        return (next, filePath);
    }

    // A GET of a finished upload's URL answers the multipart endpoint's JSON.
    private async Task<string?> StorageTypeAsync(string url, CancellationToken cancellationToken)
    {
        using var request = TusHttp.Request(HttpMethod.Get, url);
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await TusException.FromAsync("GET of the finished upload", response, cancellationToken);
        }

        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return json.RootElement.GetProperty("storage_type").GetString();
    }

    private sealed class TusException(string message) : Exception(message)
    {
        public static async Task<TusException> FromAsync(string step, HttpResponseMessage response, CancellationToken cancellationToken)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            var offset = response.Headers.TryGetValues("Upload-Offset", out var values) ? $" (Upload-Offset {values.First()})" : "";
            return new TusException($"{step}: HTTP {(int)response.StatusCode}{offset}: {BenchHttp.Excerpt(text)}");
        }
    }
}
