namespace Recordings.Abstractions;

/// <summary>Where a recording's bytes live. Serialised on the wire as "supabase" / "local".</summary>
public enum StorageType
{
    Supabase,
    Local,
}

public static class StorageTypeNames
{
    public static string ToWire(this StorageType type) => type == StorageType.Supabase ? "supabase" : "local";
}
