using System.Net;
using Recordings.Abstractions;
using Recordings.Testing;
using Recordings.FunctionalTests.Infrastructure;

namespace Recordings.FunctionalTests.Api;

/// <summary>Every session id and recording_type the README allows works end to end, in both stores.</summary>
public sealed class LongNamesTests(LocalApiFixture local, SupabaseApiFixture supabase)
    : IClassFixture<LocalApiFixture>, IClassFixture<SupabaseApiFixture>
{
    public static TheoryData<int, int, bool> Sizes => new()
    {
        { 90, 7, true },
        { RecordingNames.MaxSessionIdLength, RecordingNames.MaxRecordingTypeLength, true },
        { RecordingNames.MaxSessionIdLength, RecordingNames.MaxRecordingTypeLength, false },
        { 40, RecordingNames.MaxRecordingTypeLength, false },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task The_longest_ids_and_types_upload_list_download_and_delete_locally(int idLength, int typeLength, bool typeFirst)
    {
        var client = local.Client;
        var (session, type) = (LongId(idLength), new string('T', typeLength));
        var data = RecordingsHttp.RandomBytes(5000);

        var uploaded = await UploadOkAsync(client, session, data, type, typeFirst);

        var filename = uploaded.Str("filename");
        Assert.Equal("local", uploaded.Str("storage_type"));
        Assert.StartsWith($"{type}_recording_{session}_", filename);
        Assert.Equal(data, await File.ReadAllBytesAsync(Path.Combine(local.Api.RecordingsDirectory, session, filename)));
        var (status, info) = await client.GetJsonAsync($"/recordings/{session}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(filename, info.Str("filename"));
        Assert.Equal([filename], (await client.ListAsync(session)).Filenames());
        using (var download = await client.GetAsync($"/recordings/{session}/download"))
        {
            Assert.Equal(data, await download.Content.ReadAsByteArrayAsync());
        }

        var (deleted, _) = await client.DeleteJsonAsync($"/recordings/{session}/{filename}");
        Assert.Equal(HttpStatusCode.OK, deleted);
        Assert.Equal(0, (await client.ListAsync(session)).GetProperty("total_count").GetInt32());
        Assert.Empty(Directory.GetFiles(Path.Combine(local.Api.RecordingsDirectory, "~spool")));
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task The_longest_ids_and_types_upload_list_link_and_delete_in_supabase(int idLength, int typeLength, bool typeFirst)
    {
        var client = supabase.Client;
        var (session, type) = (LongId(idLength), new string('T', typeLength));

        var uploaded = await UploadOkAsync(client, session, RecordingsHttp.RandomBytes(5000), type, typeFirst);

        var filename = uploaded.Str("filename");
        Assert.Equal("supabase", uploaded.Str("storage_type"));
        Assert.True(supabase.Supabase.Exists(SupabaseApiFixture.Bucket, $"{session}/{filename}"));
        Assert.Equal([filename], (await client.ListAsync(session)).Filenames());
        var (_, link) = await client.GetJsonAsync($"/recordings/{session}/download");
        Assert.EndsWith($"/{session}/{filename}", link.Str("public_url"));

        var (deleted, _) = await client.DeleteJsonAsync($"/recordings/{session}/{filename}");
        Assert.Equal(HttpStatusCode.OK, deleted);
        Assert.False(supabase.Supabase.Exists(SupabaseApiFixture.Bucket, $"{session}/{filename}"));
        Assert.Empty(Directory.GetFiles(Path.Combine(supabase.Api.RecordingsDirectory, "~spool")));
    }

    // Every character the id rule allows, unique per test, exactly idLength long.
    private static string LongId(int idLength)
    {
        var id = "Ab9_.-" + Guid.NewGuid().ToString("N");
        return id + new string('z', idLength - id.Length);
    }

    private static async Task<System.Text.Json.JsonElement> UploadOkAsync(HttpClient client, string session, byte[] data, string type, bool typeFirst)
    {
        var (status, body) = await client.UploadAsync(session, data, type, typeFirst);
        Assert.True(status == HttpStatusCode.OK, $"upload answered {(int)status}: {body}");
        return body;
    }
}
