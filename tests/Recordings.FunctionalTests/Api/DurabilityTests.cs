using Recordings.Abstractions;
using Recordings.Testing;
using Recordings.FunctionalTests.Infrastructure;

namespace Recordings.FunctionalTests.Api;

/// <summary>A crash and restart of the one-machine service loses nothing, in either store.</summary>
public sealed class DurabilityTests : IAsyncLifetime
{
    private SupabaseStorageTestServer supabase = null!;
    private HostProcess api = null!;

    public async Task InitializeAsync()
    {
        supabase = await SupabaseStorageTestServer.StartAsync();
        // Debug logging, so the key check below sees everything the host can say.
        var settings = SupabaseApiFixture.SettingsFor(supabase);
        settings["LOG_LEVEL"] = "DEBUG";
        api = await HostProcess.StartApiAsync(settings);
    }

    public async Task DisposeAsync()
    {
        await api.DisposeAsync();
        await supabase.DisposeAsync();
    }

    [Fact]
    public async Task A_killed_and_restarted_host_lists_every_recording_it_acknowledged()
    {
        var session = RecordingsHttp.NewSessionId();
        var inCloud = (await api.Client.UploadOkAsync(session, RecordingsHttp.RandomBytes(5000))).Str("filename");
        await supabase.RefuseConnectionsAsync();
        var localData = RecordingsHttp.RandomBytes(6000);
        var onDisk = await api.Client.UploadOkAsync(session, localData, "screen");
        Assert.Equal("local", onDisk.Str("storage_type"));
        var before = await api.Client.ListAsync(session);

        await api.KillAsync();
        await supabase.AcceptConnectionsAsync();
        await api.StartAgainAsync();

        var after = await api.Client.ListAsync(session);
        Assert.Equal(before.ToString(), after.ToString());
        Assert.Equal([onDisk.Str("filename"), inCloud], after.Filenames());
        using var download = await api.Client.GetAsync($"/recordings/{session}/download");
        Assert.Equal(localData, await download.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task The_supabase_key_never_appears_in_a_response_or_a_log_line()
    {
        var session = RecordingsHttp.NewSessionId();
        var responses = new List<string>();
        responses.Add((await api.Client.UploadOkAsync(session, RecordingsHttp.RandomBytes(100))).ToString());
        responses.Add((await api.Client.GetJsonAsync($"/recordings/{session}")).Body.ToString());
        responses.Add((await api.Client.GetJsonAsync($"/recordings/{session}/download")).Body.ToString());
        responses.Add((await api.Client.ListAsync(session)).ToString());
        supabase.Fault = SupabaseFault.Status500;
        responses.Add((await api.Client.UploadOkAsync(session, RecordingsHttp.RandomBytes(100))).ToString());
        var oldest = (await api.Client.ListAsync(session)).Filenames().Last();
        responses.Add((await api.Client.DeleteJsonAsync($"/recordings/{session}/{oldest}")).Body.ToString());
        supabase.Fault = SupabaseFault.None;
        responses.Add(await api.Client.GetStringAsync("/openapi.json"));

        foreach (var text in responses.Append(api.Output))
        {
            Assert.DoesNotContain(supabase.ServiceRoleKey, text);
        }
    }
}
