namespace Recordings.FunctionalTests.Infrastructure;

/// <summary>The real API host with no Supabase credentials: everything is stored on its disk.</summary>
public sealed class LocalApiFixture : IAsyncLifetime
{
    public HostProcess Api { get; private set; } = null!;

    public HttpClient Client => Api.Client;

    public async Task InitializeAsync() =>
        Api = await HostProcess.StartApiAsync(new Dictionary<string, string?> { ["Recordings__MaxUploadBytes"] = "1048576" });

    public Task DisposeAsync() => Api.DisposeAsync().AsTask();
}
