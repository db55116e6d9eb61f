namespace Recordings.Abstractions;

/// <summary>
/// Where a recording lives, the same in both stores and on the wire: the object key in the bucket, the path under the
/// local recordings root, and the seed's `file_path`: {session_id}/{filename}.
/// </summary>
public readonly record struct RecordingPath(string SessionId, string Filename)
{
    public override string ToString() => $"{SessionId}/{Filename}";

    public static implicit operator string(RecordingPath path) => path.ToString();
}
