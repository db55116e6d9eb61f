namespace Recordings.Abstractions;

[GenerateSerializer, Immutable]
public sealed record LocalFileInfo(
    [property: Id(0)] string Filename,
    [property: Id(1)] long Size,
    [property: Id(2)] DateTimeOffset LastWriteTime);
