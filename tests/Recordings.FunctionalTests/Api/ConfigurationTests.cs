using System.Net;

namespace Recordings.FunctionalTests.Api;

public sealed class ConfigurationTests
{
    [Fact]
    public async Task The_env_example_copied_as_dot_env_and_empty_settings_as_compose_passes_them_run_the_local_only_service_cleanly()
    {
        var folder = Directory.CreateTempSubdirectory("recordings-env-").FullName;
        File.Copy(RepositoryFiles.PathOf("env.example"), Path.Combine(folder, ".env"));
        // docker-compose passes `${Setting:-}`: an empty value, which means "not set", for typed settings too.
        var emptySettings = new Dictionary<string, string?>
        {
            ["Recordings__MaxUploadBytes"] = "",
            ["Supabase__RequestTimeout"] = "",
            ["Resync__Interval"] = "",
        };
        await using var api = await HostProcess.StartApiAsync(emptySettings, workingDirectory: folder);

        var upload = await api.Client.UploadOkAsync(RecordingsHttp.NewSessionId(), [1, 2, 3]);
        using var ready = await api.Client.GetAsync("/health/ready");

        Assert.Equal("local", upload.Str("storage_type"));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.DoesNotContain("Exception", api.Output, StringComparison.Ordinal);
    }

    // The chunk size sizes every per-upload buffer: the host starts, and stores whole, at both ends of its range.
    [Theory]
    [InlineData(16 * 1024)]
    [InlineData(1024 * 1024)]
    public async Task Every_allowed_chunk_size_starts_and_stores_a_file_larger_than_a_chunk_byte_for_byte(int chunkBytes)
    {
        await using var api = await HostProcess.StartApiAsync(new Dictionary<string, string?> { ["Recordings__ChunkBytes"] = chunkBytes.ToString() });
        var session = RecordingsHttp.NewSessionId();
        var data = RecordingsHttp.RandomBytes(3 * chunkBytes + 1000);

        var upload = await api.Client.UploadOkAsync(session, data);
        var stored = await api.Client.GetByteArrayAsync($"/recordings/{session}/download");

        Assert.Equal(data.Length, upload.GetProperty("file_size").GetInt64());
        Assert.Equal(data, stored);
    }
}
