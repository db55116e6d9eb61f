using Recordings.Abstractions;

namespace Recordings.Grains.Resumable;

/// <summary>Lifetimes of resumable (tus) uploads; read from the "Recordings" section beside <see cref="RecordingsOptions"/>.</summary>
public sealed class ResumableOptions
{
    /// <summary>A deferred-length upload silent this long becomes a recording of what arrived, flagged incomplete.</summary>
    public TimeSpan AbandonAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A fixed-length upload untouched this long is deleted; a finished one is forgotten (its URL answers 404).</summary>
    public TimeSpan ResumableExpiration { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often each silo looks for abandoned and expired uploads in its spool.</summary>
    public TimeSpan ResumableSweepInterval { get; set; } = TimeSpan.FromSeconds(30);

    public static bool IsValid(ResumableOptions options) =>
        options.AbandonAfter > TimeSpan.Zero && options.ResumableExpiration > TimeSpan.Zero && options.ResumableSweepInterval > TimeSpan.Zero;
}
