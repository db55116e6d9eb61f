using System.Net;

namespace Recordings.FunctionalTests.Api;

public sealed class ConfigurationTests
{
    [Fact]
    public async Task The_env_example_copied_as_dot_env_runs_the_local_only_service_cleanly()
    {
        var folder = Directory.CreateTempSubdirectory("recordings-env-").FullName;
        File.Copy(Path.Combine(RepositoryRoot(), "env.example"), Path.Combine(folder, ".env"));
        await using var api = await HostProcess.StartApiAsync(workingDirectory: folder);

        var upload = await api.Client.UploadOkAsync(RecordingsHttp.NewSessionId(), [1, 2, 3]);
        using var ready = await api.Client.GetAsync("/health/ready");

        Assert.Equal("local", upload.Str("storage_type"));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.DoesNotContain("Exception", api.Output, StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "env.example")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("env.example not found above the test folder");
    }
}
