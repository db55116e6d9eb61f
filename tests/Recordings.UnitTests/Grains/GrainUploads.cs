using Recordings.Abstractions;

namespace Recordings.UnitTests.Grains;

/// <summary>Drives an upload through the grains as the API does: reserve, open, 1 MiB writes, complete.</summary>
public static class GrainUploads
{
    private const int Chunk = 1024 * 1024;

    public static async Task WriteAllAsync(IUploadGrain upload, byte[] data)
    {
        for (var offset = 0; offset < data.Length; offset += Chunk)
        {
            var count = Math.Min(Chunk, data.Length - offset);
            await upload.Write(data.AsMemory(offset, count));
        }
    }

    public static async Task<(UploadTicket Ticket, IUploadGrain Upload)> StartAsync(IGrainFactory grains, string sessionId, byte[] data)
    {
        var ticket = await grains.GetGrain<ISessionGrain>(sessionId).BeginUpload("session", "webm", "video/webm");
        var upload = grains.GetGrain<IUploadGrain>(Guid.NewGuid());
        await upload.Open(ticket);
        await WriteAllAsync(upload, data);
        return (ticket, upload);
    }

    public static async Task<UploadOutcome> UploadAsync(IGrainFactory grains, string sessionId, byte[] data)
    {
        var (ticket, upload) = await StartAsync(grains, sessionId, data);
        return await upload.Complete(ticket);
    }
}
