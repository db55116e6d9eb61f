using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Recordings.Supabase;

/// <summary>Reads a bucket's file_size_limit: null, a byte count, or a string such as "500KB".</summary>
internal static partial class FileSizeLimitParser
{
    public static long? Parse(JsonElement? value) => value switch
    {
        { ValueKind: JsonValueKind.Number } number when number.TryGetInt64(out var bytes) => bytes,
        { ValueKind: JsonValueKind.Number } number => (long)Math.Floor(number.GetDouble()),
        { ValueKind: JsonValueKind.String } text => Parse(text.GetString()),
        _ => null,
    };

    public static long? Parse(string? text)
    {
        var match = SizeWithUnit().Match(text ?? string.Empty);
        if (!match.Success || !decimal.TryParse(match.Groups["value"].Value, NumberStyles.Number, CultureInfo.InvariantCulture, out var value))
        {
            return null;
        }

        // Supabase counts in powers of 1000 ("500KB" is 500 000 bytes).
        var multiplier = match.Groups["unit"].Value.ToUpperInvariant() switch
        {
            "KB" => 1_000m,
            "MB" => 1_000_000m,
            "GB" => 1_000_000_000m,
            "TB" => 1_000_000_000_000m,
            _ => 1m,
        };
        return (long)decimal.Floor(value * multiplier);
    }

    [GeneratedRegex(@"^\s*(?<value>\d+(\.\d+)?)\s*(?<unit>B|KB|MB|GB|TB)?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SizeWithUnit();
}
