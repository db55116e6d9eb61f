using System.Buffers.Text;
using System.Text;
using System.Text.RegularExpressions;

namespace Recordings.Abstractions;

/// <summary>
/// The id in a resumable upload's URL, and its grain's key: "{silo name, base64url}.{32 hex}". The silo is part of
/// the id because the upload's spool lives on that silo's disk; placement puts the grain there and nowhere else.
/// </summary>
public static partial class ResumableUploadId
{
    [GeneratedRegex("^[A-Za-z0-9_-]{1,200}\\.[0-9a-f]{32}$")]
    private static partial Regex Shape();

    public static string New(string siloName) =>
        $"{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(siloName))}.{Guid.NewGuid():N}";

    public static bool IsValid(string? id) => id is not null && Shape().IsMatch(id);

    public static string SiloOf(string id)
    {
        var encoded = id[..id.IndexOf('.', StringComparison.Ordinal)];
        return Encoding.UTF8.GetString(Base64Url.DecodeFromChars(encoded));
    }
}
