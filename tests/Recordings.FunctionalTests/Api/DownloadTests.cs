using System.Net;
using System.Net.Http.Headers;
using Recordings.Testing;
using Recordings.FunctionalTests.Infrastructure;

namespace Recordings.FunctionalTests.Api;

/// <summary>Recordings are audio or video, and a local download follows RFC 9110: Range, 416, HEAD, nosniff.</summary>
public sealed class DownloadTests(LocalApiFixture fixture) : IClassFixture<LocalApiFixture>
{
    private HttpClient Client => fixture.Client;

    [Theory]
    [InlineData("page.html", "text/html")]
    [InlineData("image.svg", "image/svg+xml")]
    [InlineData("page.html", "application/octet-stream")]
    [InlineData("notes.txt", null)]
    public async Task A_file_that_is_not_audio_or_video_is_415_and_stores_nothing(string fileName, string? declaredType)
    {
        var session = RecordingsHttp.NewSessionId();

        using var response = await UploadAsync(session, fileName, declaredType);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("audio/*,video/*", (await RecordingsHttp.ReadJsonAsync(response)).Str("detail"));
        Assert.Equal(0, (await Client.ListAsync(session)).GetProperty("total_count").GetInt32());
        Assert.Empty(Directory.GetFiles(Path.Combine(fixture.Api.RecordingsDirectory, "~spool")));
    }

    [Theory]
    [InlineData("interview.webm", "application/octet-stream", "video/webm")]
    [InlineData("answer.mp3", "application/octet-stream", "audio/mpeg")]
    [InlineData("answer.ogg", "audio/ogg; codecs=opus", "audio/ogg")]
    [InlineData("interview.webm", "video/webm; codecs=\"vp8, opus\"", "video/webm")]
    public async Task Audio_and_video_are_accepted_by_declared_type_or_by_extension_as_curl_sends_them(
        string fileName, string declaredType, string servedType)
    {
        var session = RecordingsHttp.NewSessionId();

        using var response = await UploadAsync(session, fileName, declaredType);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var download = await Client.GetAsync($"/recordings/{session}/download");
        Assert.Equal(servedType, download.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Every_download_answer_says_nosniff()
    {
        var session = RecordingsHttp.NewSessionId();
        await Client.UploadOkAsync(session, RecordingsHttp.RandomBytes(100));

        using var whole = await Client.GetAsync($"/recordings/{session}/download");
        using var partial = await SendAsync(session, HttpMethod.Get, "bytes=0-9");
        using var missing = await Client.GetAsync($"/recordings/{RecordingsHttp.NewSessionId()}/download");

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.PartialContent, HttpStatusCode.NotFound], [whole.StatusCode, partial.StatusCode, missing.StatusCode]);
        Assert.All([whole, partial, missing], response => Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options"))));
    }

    [Theory]
    [InlineData("bytes=abc")]
    [InlineData("bytes=9-3")]
    [InlineData("items=0-9")]
    [InlineData("bytes=0-1,5-6")]
    public async Task A_malformed_reversed_foreign_or_multiple_range_is_ignored_and_the_whole_file_served(string range)
    {
        var (session, data) = await UploadAsync(5000);

        using var response = await SendAsync(session, HttpMethod.Get, range);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Content.Headers.ContentRange);
        Assert.Equal(data, await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("bytes=-10", 4990, 4999)]
    [InlineData("bytes=-9000", 0, 4999)]
    [InlineData("bytes=4000-", 4000, 4999)]
    [InlineData("bytes=100-199", 100, 199)]
    [InlineData("bytes=4990-9999", 4990, 4999)]
    public async Task A_satisfiable_range_is_206_with_exactly_those_bytes(string range, int from, int to)
    {
        var (session, data) = await UploadAsync(5000);

        using var response = await SendAsync(session, HttpMethod.Get, range);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal($"bytes {from}-{to}/5000", response.Content.Headers.ContentRange?.ToString());
        Assert.Equal(data[from..(to + 1)], await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("bytes=5000-")]
    [InlineData("bytes=6000-7000")]
    [InlineData("bytes=-0")]
    public async Task An_unsatisfiable_range_is_416_with_the_size(string range)
    {
        var (session, _) = await UploadAsync(5000);

        using var response = await SendAsync(session, HttpMethod.Get, range);

        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
        Assert.Equal("bytes */5000", response.Content.Headers.ContentRange?.ToString());
    }

    [Fact]
    public async Task A_range_spanning_several_chunks_streams_them_in_order()
    {
        var (session, data) = await UploadAsync(1024 * 1024);

        using var response = await SendAsync(session, HttpMethod.Get, "bytes=1000-1000000");

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(data[1000..1000001], await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Head_answers_the_headers_of_a_download_without_its_body()
    {
        var (session, _) = await UploadAsync(5000);

        using var response = await SendAsync(session, HttpMethod.Head, range: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(5000, response.Content.Headers.ContentLength);
        Assert.Equal("video/webm", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("bytes", Assert.Single(response.Headers.AcceptRanges));
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        using var missing = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/recordings/{RecordingsHttp.NewSessionId()}/download"));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    private async Task<(string Session, byte[] Data)> UploadAsync(int size)
    {
        var session = RecordingsHttp.NewSessionId();
        var data = RecordingsHttp.RandomBytes(size);
        await Client.UploadOkAsync(session, data);
        return (session, data);
    }

    private async Task<HttpResponseMessage> UploadAsync(string session, string fileName, string? declaredType)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(RecordingsHttp.RandomBytes(100));
        if (declaredType is not null)
        {
            file.Headers.TryAddWithoutValidation("Content-Type", declaredType);
        }

        form.Add(file, "recording", fileName);
        return await Client.PostAsync($"/recordings/upload/{session}", form);
    }

    private Task<HttpResponseMessage> SendAsync(string session, HttpMethod method, string? range)
    {
        var request = new HttpRequestMessage(method, $"/recordings/{session}/download");
        if (range is not null)
        {
            request.Headers.TryAddWithoutValidation("Range", range);
        }

        return Client.SendAsync(request);
    }
}
