using Recordings.Grains.Storage;

using Recordings.Abstractions;

namespace Recordings.Grains.Resumable;

/// <summary>This silo's resumable uploads in flight: one file per upload under {recordings}/~spool/resumable.</summary>
public sealed class ResumableSpool
{
    private const string Suffix = ".part";

    public ResumableSpool(LocalRecordingStore localStore)
    {
        Directory = Path.Combine(localStore.SpoolDirectory, "resumable");
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public string PathOf(string uploadId) => ResumableUploadId.IsValid(uploadId)
        ? Path.Combine(Directory, uploadId + Suffix)
        : throw new ArgumentException("Invalid upload id.", nameof(uploadId));

    public FileStream Create(string uploadId) =>
        new(PathOf(uploadId), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0, useAsync: true);

    public FileStream Open(string uploadId) =>
        new(PathOf(uploadId), FileMode.Open, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0, useAsync: true);

    /// <summary>Ids of the uploads whose bytes are on this disk.</summary>
    public IEnumerable<string> ListIds() =>
        System.IO.Directory.EnumerateFiles(Directory, "*" + Suffix)
            .Select(path => Path.GetFileNameWithoutExtension(path))
            .Where(ResumableUploadId.IsValid);
}
