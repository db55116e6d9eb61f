namespace Recordings.Api.Apis;

/// <summary>A single HTTP byte range (RFC 9110): "bytes=a-b", "bytes=a-" or "bytes=-n", resolved against a length.</summary>
public readonly record struct ByteRange(long From, long To)
{
    public long Length => To - From + 1;

    /// <summary>False when the header is absent, malformed or asks for several ranges: serve the whole file.</summary>
    public static bool TryParse(string? header, out string? spec)
    {
        spec = null;
        if (string.IsNullOrWhiteSpace(header) || !header.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        spec = header["bytes=".Length..].Trim();
        return spec.Length > 0 && !spec.Contains(',');
    }

    /// <summary>Null when the range cannot be satisfied for a file of <paramref name="length"/> bytes (416).</summary>
    public static ByteRange? Resolve(string spec, long length)
    {
        var dash = spec.IndexOf('-');
        if (dash < 0)
        {
            return null;
        }

        var first = spec[..dash].Trim();
        var last = spec[(dash + 1)..].Trim();
        if (first.Length == 0)
        {
            // Suffix range: the last n bytes.
            return long.TryParse(last, out var suffix) && suffix > 0 && length > 0
                ? new ByteRange(Math.Max(0, length - suffix), length - 1)
                : null;
        }

        if (!long.TryParse(first, out var from) || from < 0 || from >= length)
        {
            return null;
        }

        if (last.Length == 0)
        {
            return new ByteRange(from, length - 1);
        }

        return long.TryParse(last, out var to) && to >= from ? new ByteRange(from, Math.Min(to, length - 1)) : null;
    }
}
