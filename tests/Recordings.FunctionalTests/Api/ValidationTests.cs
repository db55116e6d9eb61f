using System.Net;
using System.Text;
using Recordings.Abstractions;
using Recordings.Testing;
using Recordings.FunctionalTests.Infrastructure;

namespace Recordings.FunctionalTests.Api;

/// <summary>Client mistakes get FastAPI-shaped 4xx answers and change nothing.</summary>
public sealed class ValidationTests(LocalApiFixture fixture) : IClassFixture<LocalApiFixture>
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task Dot_segments_are_resolved_by_the_server_and_never_reach_a_handler()
    {
        // Kestrel folds /recordings/%2E%2E/list into /list before routing: a 404, and nothing touched.
        using var response = await Client.GetAsync("/recordings/%2E%2E/list");
        await AssertDetailAsync(response, HttpStatusCode.NotFound);
        AssertNothingEscapedTheRoot();
    }

    [Theory]
    [InlineData("a..b")]
    [InlineData("bad%20id")]
    [InlineData("..%2F..%2Fetc")]
    [InlineData("sp%C3%A9cial")]
    public async Task Bad_session_ids_are_refused_on_every_endpoint(string sessionId)
    {
        using var form = RecordingsHttp.UploadForm([1, 2, 3]);
        using var upload = await Client.PostAsync($"/recordings/upload/{sessionId}", form);
        await AssertDetailAsync(upload, HttpStatusCode.BadRequest);

        foreach (var path in new[] { $"/recordings/{sessionId}", $"/recordings/{sessionId}/list", $"/recordings/{sessionId}/download" })
        {
            using var response = await Client.GetAsync(path);
            await AssertDetailAsync(response, HttpStatusCode.BadRequest);
        }

        using var delete = await Client.DeleteAsync($"/recordings/{sessionId}/x.webm");
        await AssertDetailAsync(delete, HttpStatusCode.BadRequest);
        AssertNothingEscapedTheRoot();
    }

    [Fact]
    public async Task Session_ids_longer_than_128_characters_are_refused()
    {
        using var response = await Client.GetAsync($"/recordings/{new string('a', 129)}/list");
        await AssertDetailAsync(response, HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("a..webm")]
    [InlineData("%2E%2E%2Fetc%2Fpasswd")]
    [InlineData("x%5Cy.webm")]
    [InlineData("sp%C3%A9cial.webm")]
    public async Task Bad_filenames_are_refused_on_delete(string filename)
    {
        using var response = await Client.DeleteAsync($"/recordings/{RecordingsHttp.NewSessionId()}/{filename}");
        Assert.StartsWith("Invalid filename", await AssertDetailAsync(response, HttpStatusCode.BadRequest));
        AssertNothingEscapedTheRoot();
    }

    [Fact]
    public async Task A_dot_dot_filename_is_folded_away_by_the_server_and_matches_no_route()
    {
        // Kestrel removes the dot segment (/recordings/{id}/.. is /recordings/) before routing: 404, nothing touched.
        using var response = await Client.DeleteAsync($"/recordings/{RecordingsHttp.NewSessionId()}/..");
        Assert.Equal("Not Found", await AssertDetailAsync(response, HttpStatusCode.NotFound));
        AssertNothingEscapedTheRoot();
    }

    [Fact]
    public async Task Filenames_longer_than_the_longest_generated_name_are_refused()
    {
        using var response = await Client.DeleteAsync($"/recordings/{RecordingsHttp.NewSessionId()}/{new string('a', RecordingNames.MaxFilenameLength + 1)}");
        Assert.StartsWith("Invalid filename", await AssertDetailAsync(response, HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task A_missing_recording_part_is_422()
    {
        using var form = new MultipartFormDataContent { { new StringContent("session"), "recording_type" } };
        using var response = await Client.PostAsync($"/recordings/upload/{RecordingsHttp.NewSessionId()}", form);
        var detail = await AssertDetailAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("recording", detail);
    }

    [Fact]
    public async Task A_non_multipart_body_is_422()
    {
        using var response = await Client.PostAsync($"/recordings/upload/{RecordingsHttp.NewSessionId()}",
            new StringContent("{}", Encoding.UTF8, "application/json"));
        await AssertDetailAsync(response, HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task A_malformed_multipart_body_is_400_and_stores_nothing()
    {
        var session = RecordingsHttp.NewSessionId();
        var body = new StringContent("--xyz\r\nContent-Disposition: form-data; name=\"recording\"; filename=\"a.webm\"\r\n\r\nabc-no-closing-boundary",
            Encoding.ASCII);
        body.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/form-data; boundary=xyz");

        using var response = await Client.PostAsync($"/recordings/upload/{session}", body);

        await AssertDetailAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(0, (await Client.ListAsync(session)).GetProperty("total_count").GetInt32());
    }

    [Fact]
    public async Task A_bad_recording_type_is_400()
    {
        var session = RecordingsHttp.NewSessionId();
        var (status, body) = await Client.UploadAsync(session, [1, 2, 3], recordingType: "../evil");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("recording_type", body.Str("detail"));
        Assert.Equal(0, (await Client.ListAsync(session)).GetProperty("total_count").GetInt32());
    }

    [Fact]
    public async Task Unknown_sessions_and_files_are_404_with_a_detail()
    {
        var session = RecordingsHttp.NewSessionId();
        foreach (var path in new[] { $"/recordings/{session}", $"/recordings/{session}/download" })
        {
            using var response = await Client.GetAsync(path);
            await AssertDetailAsync(response, HttpStatusCode.NotFound);
        }

        using var delete = await Client.DeleteAsync($"/recordings/{session}/nothing.webm");
        await AssertDetailAsync(delete, HttpStatusCode.NotFound);

        var list = await Client.ListAsync(session);
        Assert.Equal(0, list.GetProperty("total_count").GetInt32());
    }

    [Fact]
    public async Task Unknown_routes_answer_like_fastapi()
    {
        using var response = await Client.GetAsync("/nothing/here");
        Assert.Equal("Not Found", await AssertDetailAsync(response, HttpStatusCode.NotFound));
    }

    [Fact]
    public async Task The_openapi_document_and_docs_page_are_served()
    {
        var (status, document) = await Client.GetJsonAsync("/openapi.json");
        Assert.Equal(HttpStatusCode.OK, status);
        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/recordings/upload/{session_id}", out _));
        Assert.True(paths.TryGetProperty("/recordings/{session_id}/list", out _));

        // The reference page and its script come from this host, so /docs works with no internet.
        var docs = await Client.GetStringAsync("/docs/");
        Assert.Contains("\"url\":\"openapi.json\"", docs);
        Assert.DoesNotContain("https://", docs);
        using var script = await Client.GetAsync("/docs/scalar.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
    }

    private static async Task<string> AssertDetailAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.Equal(expected, response.StatusCode);
        var body = await RecordingsHttp.ReadJsonAsync(response);
        return body.Str("detail");
    }

    // Nothing outside the recordings root (the host's working folder holds only recordings/ and data/).
    private void AssertNothingEscapedTheRoot()
    {
        var unexpected = Directory.EnumerateFileSystemEntries(fixture.Api.WorkingDirectory)
            .Select(Path.GetFileName)
            .Where(name => name is not "recordings" and not "data");
        Assert.Empty(unexpected);
    }
}
