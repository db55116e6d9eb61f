using System.Net;
using System.Security.Cryptography;
using Recordings.Testing;

namespace Recordings.FunctionalTests.Resumable;

/// <summary>A finished resumable upload takes the multipart upload's path: Supabase first, the silo's disk when it fails.</summary>
public sealed class ResumableSupabaseTests(SupabaseApiFixture fixture) : IClassFixture<SupabaseApiFixture>
{
    [Fact]
    public async Task A_finished_upload_is_stored_in_supabase_and_falls_back_to_local_disk_when_supabase_fails()
    {
        var session = RecordingsHttp.NewSessionId();
        var inCloud = await UploadAsync(session, RecordingsHttp.RandomBytes(200_000));
        fixture.Supabase.Fault = SupabaseFault.Status500;
        StoredResult onDisk;
        try
        {
            onDisk = await UploadAsync(session, RecordingsHttp.RandomBytes(150_000));
        }
        finally
        {
            fixture.Supabase.Fault = SupabaseFault.None;
        }

        Assert.Equal("supabase", inCloud.StorageType);
        var stored = Assert.Single(fixture.Supabase.Objects(SupabaseApiFixture.Bucket), o => o.Path == inCloud.FilePath);
        Assert.Equal(inCloud.Sha256, stored.Sha256Hex);
        Assert.Equal("local", onDisk.StorageType);
        Assert.Equal(onDisk.Data, await File.ReadAllBytesAsync(Path.Combine(fixture.Api.RecordingsDirectory, onDisk.FilePath)));
        Assert.Equal([inCloud.FilePath, onDisk.FilePath],
            (await fixture.Client.ListAsync(session)).GetProperty("recordings").EnumerateArray().Select(r => r.Str("file_path")).Order(StringComparer.Ordinal));
    }

    private async Task<StoredResult> UploadAsync(string session, byte[] data)
    {
        var url = await fixture.Client.CreateOkAsync(session, data.Length);
        using var patch = await fixture.Client.PatchAsync(url, 0, data);
        Assert.Equal(HttpStatusCode.NoContent, patch.StatusCode);
        var (_, answer) = await fixture.Client.GetJsonAsync(url);
        Assert.Equal(patch.Header("Recording-File-Path"), answer.Str("file_path"));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(data)), answer.Str("sha256"));
        return new StoredResult(answer.Str("file_path"), answer.Str("storage_type"), answer.Str("sha256"), data);
    }

    private sealed record StoredResult(string FilePath, string StorageType, string Sha256, byte[] Data);
}
