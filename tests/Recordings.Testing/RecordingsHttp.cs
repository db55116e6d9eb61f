using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Xunit;

namespace Recordings.Testing;

/// <summary>What a recorder client sends: the seed's multipart upload, and JSON reading of the answers.</summary>
public static class RecordingsHttp
{
    public static byte[] RandomBytes(int length)
    {
        var data = new byte[length];
        Random.Shared.NextBytes(data);
        return data;
    }

    public static MultipartFormDataContent UploadForm(byte[] data, string? fileName = "interview.webm", string? recordingType = "session", bool typeFirst = true)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(data);
        file.Headers.ContentType = new MediaTypeHeaderValue("video/webm");
        if (typeFirst && recordingType is not null)
        {
            form.Add(new StringContent(recordingType), "recording_type");
        }

        if (fileName is null)
        {
            form.Add(file, "recording");
        }
        else
        {
            form.Add(file, "recording", fileName);
        }

        if (!typeFirst && recordingType is not null)
        {
            form.Add(new StringContent(recordingType), "recording_type");
        }

        return form;
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body)> UploadAsync(
        this HttpClient client, string sessionId, byte[] data, string? recordingType = "session", bool typeFirst = true)
    {
        using var form = UploadForm(data, recordingType: recordingType, typeFirst: typeFirst);
        using var response = await client.PostAsync($"/recordings/upload/{sessionId}", form);
        return (response.StatusCode, await ReadJsonAsync(response));
    }

    /// <summary>Uploads and insists it worked; returns the JSON answer.</summary>
    public static async Task<JsonElement> UploadOkAsync(this HttpClient client, string sessionId, byte[] data, string recordingType = "session")
    {
        var (status, body) = await client.UploadAsync(sessionId, data, recordingType);
        Assert.True(status == HttpStatusCode.OK, $"upload answered {(int)status}: {body}");
        return body;
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body)> GetJsonAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        return (response.StatusCode, await ReadJsonAsync(response));
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body)> DeleteJsonAsync(this HttpClient client, string path)
    {
        using var response = await client.DeleteAsync(path);
        return (response.StatusCode, await ReadJsonAsync(response));
    }

    public static async Task<JsonElement> ListAsync(this HttpClient client, string sessionId)
    {
        var (status, body) = await client.GetJsonAsync($"/recordings/{sessionId}/list");
        Assert.Equal(HttpStatusCode.OK, status);
        return body;
    }

    public static string[] Filenames(this JsonElement list) =>
        list.GetProperty("recordings").EnumerateArray().Select(r => r.GetProperty("filename").GetString()!).ToArray();

    public static string Str(this JsonElement element, string property) => element.GetProperty(property).GetString()!;

    public static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.False(string.IsNullOrEmpty(text), $"{(int)response.StatusCode} with an empty body");
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    public static string NewSessionId() => "s_" + Guid.NewGuid().ToString("N")[..12];
}
