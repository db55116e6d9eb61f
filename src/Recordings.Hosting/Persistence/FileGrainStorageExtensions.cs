using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.Hosting;
using Orleans.Storage;
using Recordings.Abstractions;

namespace Recordings.Hosting.Persistence;

public static class FileGrainStorageExtensions
{
    /// <summary>The one-machine mode's grain storage: a file per grain under <paramref name="directory"/>.</summary>
    public static ISiloBuilder AddFileGrainStorage(this ISiloBuilder silo, string directory)
    {
        var fullPath = Path.GetFullPath(directory);
        silo.Services.AddGrainStorage(GrainStorage.Name,
            (services, _) => new FileGrainStorage(fullPath, services.GetRequiredService<IGrainStorageSerializer>()));
        return silo;
    }
}
