using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Recordings.Abstractions;
using Recordings.Supabase;

namespace Recordings.FunctionalTests.Live;

/// <summary>
/// The project's Supabase client against a real Supabase project. Everything it creates lives under a fresh
/// folder in SUPABASE_TEST_BUCKET (default interview-recordings-test) and is deleted at the end.
/// </summary>
public sealed class LiveSupabaseTests : IAsyncLifetime
{
    private readonly string folder = "live-test-" + Guid.NewGuid().ToString("N")[..12];
    private ServiceProvider? services;
    private SupabaseStorageClient client = null!;

    public Task InitializeAsync()
    {
        if (LiveSupabaseFactAttribute.Url is null || LiveSupabaseFactAttribute.Key is null)
        {
            return Task.CompletedTask;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Url"] = LiveSupabaseFactAttribute.Url,
            ["Key"] = LiveSupabaseFactAttribute.Key,
            ["Bucket"] = Environment.GetEnvironmentVariable("SUPABASE_TEST_BUCKET") ?? "interview-recordings-test",
        }).Build();
        services = new ServiceCollection().AddLogging().AddSupabaseStorage(configuration).BuildServiceProvider();
        client = services.GetRequiredService<SupabaseStorageClient>();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (services is null)
        {
            return;
        }

        foreach (var item in await client.ListAsync(folder, CancellationToken.None))
        {
            await client.DeleteAsync($"{folder}/{item.Name}", CancellationToken.None);
        }

        await services.DisposeAsync();
    }

    [LiveSupabaseFact]
    public async Task Upload_info_list_sign_and_delete_work_against_real_supabase()
    {
        await client.EnsureBucketAsync(CancellationToken.None);
        var data = new byte[200_000];
        Random.Shared.NextBytes(data);
        var path = $"{folder}/session_recording_live_20240101_000000.webm";

        await client.UploadAsync(path, new MemoryStream(data), "video/webm", CancellationToken.None);

        var info = await client.GetInfoAsync(path, CancellationToken.None);
        Assert.Equal(data.Length, info?.Size);
        var listed = Assert.Single(await client.ListAsync(folder, CancellationToken.None));
        Assert.Equal(data.Length, listed.Size);

        var signed = await client.CreateSignedUrlAsync(path, 60, CancellationToken.None);
        using var http = new HttpClient();
        Assert.Equal(data, await http.GetByteArrayAsync(signed));

        var duplicate = await Assert.ThrowsAsync<SupabaseStorageException>(() =>
            client.UploadAsync(path, new MemoryStream(data), "video/webm", CancellationToken.None));
        Assert.Equal("409", duplicate.StatusCode);

        Assert.True(await client.DeleteAsync(path, CancellationToken.None));
        Assert.Null(await client.GetInfoAsync(path, CancellationToken.None));
        Assert.False(await client.DeleteAsync(path, CancellationToken.None));
    }
}
