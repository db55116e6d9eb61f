using Orleans.Concurrency;

using Recordings.Abstractions;

namespace Recordings.Grains.Resumable;

[StatelessWorker]
public sealed class ResumableUploadStarter(ILocalSiloDetails silo) : Grain, IResumableUploadStarter
{
    public async Task<ResumableUploadCreated> Create(ResumableUploadRequest request)
    {
        var id = ResumableUploadId.New(silo.Name);
        var status = await GrainFactory.GetGrain<IResumableUploadGrain>(id).Create(request);
        return new ResumableUploadCreated(id, status);
    }
}
