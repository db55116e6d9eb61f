namespace Recordings.Abstractions;

/// <summary>The grain storage provider every stateful grain of the service uses, whatever backs it.</summary>
public static class GrainStorage
{
    public const string Name = "recordings";
}
