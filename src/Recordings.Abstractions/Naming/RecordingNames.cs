using System.Globalization;
using System.Text.RegularExpressions;

namespace Recordings.Abstractions;

/// <summary>
/// The seed server's naming scheme, {type}_recording_{session}_{yyyyMMdd_HHmmss}.{ext}, and the rules that keep
/// every name a single safe path segment under the recordings root.
/// </summary>
public static partial class RecordingNames
{
    public const string DefaultRecordingType = "session";
    public const string DefaultExtension = "webm";
    private const string TimestampFormat = "yyyyMMdd_HHmmss";

    public const int MaxSessionIdLength = 128;
    public const int MaxRecordingTypeLength = 64;
    public const int MaxExtensionLength = 16;

    /// <summary>
    /// The longest name <see cref="Create"/> can produce, so the filename rule follows from the id rule:
    /// type (64) + "_recording_" (11) + id (128) + "_" (1) + timestamp (15) + "_" and an attempt of up to 10 digits (11)
    /// + "." (1) + extension (16). 247 ASCII bytes: under the 255-byte file-name limit of Linux file systems, and
    /// "{id}/{name}" (376) far under Supabase's object-key limit (1024 bytes on S3-backed storage).
    /// </summary>
    public const int MaxFilenameLength = 247;

    [GeneratedRegex("^[A-Za-z0-9_.-]+$")]
    private static partial Regex SafeCharacters();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex SafeRecordingType();

    [GeneratedRegex("^[A-Za-z0-9]{1,16}$")]
    private static partial Regex SafeExtension();

    [GeneratedRegex(@"^(?<type>[A-Za-z0-9_-]+?)_recording_(?<session>.+)_(?<ts>\d{8}_\d{6})(?:_(?<n>\d+))?\.(?<ext>[A-Za-z0-9]+)$")]
    private static partial Regex SeedName();

    /// <summary>A session id: one path segment of 1-128 characters of [A-Za-z0-9_.-], never "." or holding "..".</summary>
    public static bool IsValidSessionId(string? value) => IsSafeSegment(value, MaxSessionIdLength);

    /// <summary>A recording's filename: the session id's rule, up to the longest name this service generates.</summary>
    public static bool IsValidFilename(string? value) => IsSafeSegment(value, MaxFilenameLength);

    private static bool IsSafeSegment(string? value, int maxLength) =>
        value is { Length: > 0 } && value.Length <= maxLength && SafeCharacters().IsMatch(value) &&
        value != "." && !value.Contains("..", StringComparison.Ordinal);

    public static bool IsValidRecordingType(string? value) => value is not null && SafeRecordingType().IsMatch(value);

    /// <summary>The extension of the uploaded file's name without the dot, or "webm" when it has none usable.</summary>
    public static string ExtensionOf(string? uploadedFileName)
    {
        var extension = Path.GetExtension(uploadedFileName ?? string.Empty).TrimStart('.');
        return SafeExtension().IsMatch(extension) ? extension : DefaultExtension;
    }

    /// <summary>The seed's name; attempt 1 is the plain name, later attempts add _2, _3, ... so names never collide.</summary>
    public static string Create(string recordingType, string sessionId, DateTimeOffset time, string extension, int attempt = 1)
    {
        var stamp = time.UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture);
        var suffix = attempt > 1 ? $"_{attempt}" : string.Empty;
        return $"{recordingType}_recording_{sessionId}_{stamp}{suffix}.{extension}";
    }

    /// <summary>Reads type and time back from a name of the seed's scheme (files left by the old server).</summary>
    public static bool TryParse(string filename, out string recordingType, out DateTimeOffset time)
    {
        recordingType = DefaultRecordingType;
        time = default;
        var match = SeedName().Match(filename);
        if (!match.Success ||
            !DateTime.TryParseExact(match.Groups["ts"].Value, TimestampFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            return false;
        }

        recordingType = match.Groups["type"].Value;
        time = new DateTimeOffset(parsed, TimeSpan.Zero);
        return true;
    }

    public static string ContentTypeFor(string filename) => ContentTypeForExtension(Path.GetExtension(filename).TrimStart('.'));

    public static string ContentTypeForExtension(string extension) =>
        extension.ToLowerInvariant() switch
        {
            "webm" => "video/webm",
            "mp4" => "video/mp4",
            "mkv" => "video/x-matroska",
            "mov" => "video/quicktime",
            "ogg" or "oga" => "audio/ogg",
            "wav" => "audio/wav",
            "mp3" => "audio/mpeg",
            "m4a" => "audio/mp4",
            _ => "application/octet-stream",
        };
}
