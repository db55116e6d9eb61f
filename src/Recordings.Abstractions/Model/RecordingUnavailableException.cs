namespace Recordings.Abstractions;

/// <summary>A store that holds (or must change) a recording cannot be reached right now: the API answers 503.</summary>
[GenerateSerializer]
public sealed class RecordingUnavailableException : Exception
{
    public RecordingUnavailableException(string message) : base(message) { }
}
