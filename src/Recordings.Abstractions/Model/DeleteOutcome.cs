namespace Recordings.Abstractions;

[GenerateSerializer, Immutable]
public sealed record DeleteOutcome(
    [property: Id(0)] bool DeletedFromSupabase,
    [property: Id(1)] bool DeletedLocally)
{
    public bool Found => DeletedFromSupabase || DeletedLocally;
}
