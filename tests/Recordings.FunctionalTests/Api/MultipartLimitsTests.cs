using System.Net;
using System.Net.Http.Headers;
using Recordings.Api.Apis;
using Recordings.Testing;
using Recordings.FunctionalTests.Infrastructure;

namespace Recordings.FunctionalTests.Api;

/// <summary>An upload body is bounded in every dimension, not only the file's size; a refused body stores nothing.</summary>
public sealed class MultipartLimitsTests(LocalApiFixture fixture) : IClassFixture<LocalApiFixture>
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task A_second_recording_part_is_400()
    {
        using var form = RecordingsHttp.UploadForm([1, 2, 3]);
        form.Add(VideoPart([4, 5, 6]), "recording", "second.webm");

        await AssertRefusedAsync(form, "Only one recording part is allowed");
    }

    [Fact]
    public async Task A_second_recording_type_part_is_400()
    {
        using var form = RecordingsHttp.UploadForm([1, 2, 3]);
        form.Add(new StringContent("screen"), "recording_type");

        await AssertRefusedAsync(form, "Only one recording_type part is allowed");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_unknown_field_over_the_field_limit_is_400(bool beforeTheFile)
    {
        using var form = new MultipartFormDataContent();
        // Far over the field limit, yet under the whole body's own limit (MaxUploadBytes, 1 MiB in this fixture).
        var big = new StringContent(new string('x', 900 * 1024));
        if (beforeTheFile)
        {
            form.Add(big, "notes");
        }

        form.Add(VideoPart([1, 2, 3]), "recording", "a.webm");
        if (!beforeTheFile)
        {
            form.Add(big, "notes");
        }

        await AssertRefusedAsync(form, $"the part 'notes' is longer than {MultipartLimits.MaxFieldBytes} bytes");
    }

    [Fact]
    public async Task A_recording_type_over_the_field_limit_is_400()
    {
        using var form = RecordingsHttp.UploadForm([1, 2, 3], recordingType: new string('a', MultipartLimits.MaxFieldBytes + 1));

        await AssertRefusedAsync(form, "the part 'recording_type' is longer than");
    }

    [Fact]
    public async Task More_parts_than_the_limit_are_400()
    {
        using var form = RecordingsHttp.UploadForm([1, 2, 3]);
        for (var i = 0; i < 1000; i++)
        {
            form.Add(new StringContent("x"), $"extra_{i}");
        }

        await AssertRefusedAsync(form, $"Too many parts in the multipart body: the limit is {MultipartLimits.MaxParts}");
    }

    [Fact]
    public async Task Unknown_fields_within_the_limits_are_ignored_as_fastapi_does()
    {
        using var form = RecordingsHttp.UploadForm([1, 2, 3]);
        form.Add(new StringContent(new string('n', MultipartLimits.MaxFieldBytes)), "notes");
        var session = RecordingsHttp.NewSessionId();

        using var response = await Client.PostAsync($"/recordings/upload/{session}", form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, (await Client.ListAsync(session)).GetProperty("total_count").GetInt32());
    }

    [Fact]
    public async Task A_part_with_more_headers_than_the_limit_is_400()
    {
        using var form = new MultipartFormDataContent();
        var file = VideoPart([1, 2, 3]);
        for (var i = 0; i < MultipartLimits.MaxHeadersPerPart; i++)
        {
            file.Headers.Add($"X-Extra-{i}", "1");
        }

        form.Add(file, "recording", "a.webm");

        await AssertRefusedAsync(form, "Multipart headers count limit");
    }

    [Fact]
    public async Task A_part_with_headers_over_the_length_limit_is_400()
    {
        using var form = new MultipartFormDataContent();
        var file = VideoPart([1, 2, 3]);
        file.Headers.Add("X-Big", new string('h', MultipartLimits.MaxHeaderBytesPerPart));
        form.Add(file, "recording", "a.webm");

        await AssertRefusedAsync(form, "limit");
    }

    [Fact]
    public async Task A_request_head_over_16_KiB_is_431_and_stores_nothing()
    {
        // Kestrel reads ahead no more than the request head (the upload memory budget counts on it), so the head is
        // bounded at 16 KiB: a bearer token is about 1 KiB.
        var session = RecordingsHttp.NewSessionId();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/recordings/upload/{session}")
        {
            Content = RecordingsHttp.UploadForm([1, 2, 3]),
        };
        request.Headers.Add("X-Padding", new string('x', 17 * 1024));

        using var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
        Assert.Equal(0, (await Client.ListAsync(session)).GetProperty("total_count").GetInt32());
    }

    private async Task AssertRefusedAsync(MultipartFormDataContent form, string expectedDetail)
    {
        var session = RecordingsHttp.NewSessionId();

        using var response = await Client.PostAsync($"/recordings/upload/{session}", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expectedDetail, (await RecordingsHttp.ReadJsonAsync(response)).Str("detail"));
        Assert.Equal(0, (await Client.ListAsync(session)).GetProperty("total_count").GetInt32());
        Assert.False(Directory.Exists(Path.Combine(fixture.Api.RecordingsDirectory, session)));
        // An aborted upload's grain removes its spool file before the API answers.
        Assert.Empty(Directory.GetFiles(Path.Combine(fixture.Api.RecordingsDirectory, "~spool")));
    }

    private static ByteArrayContent VideoPart(byte[] data)
    {
        var part = new ByteArrayContent(data);
        part.Headers.ContentType = new MediaTypeHeaderValue("video/webm");
        return part;
    }
}
