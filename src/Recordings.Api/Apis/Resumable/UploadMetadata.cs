using System.Text;

namespace Recordings.Api.Apis.Resumable;

/// <summary>
/// The tus Upload-Metadata header: comma-separated "key base64(value)" pairs (a key alone has an empty value).
/// tus-js-client sends filename and filetype; recorders add recording_type.
/// </summary>
public sealed record UploadMetadata(IReadOnlyDictionary<string, string> Values)
{
    private const int MaxHeaderLength = 4096;

    public string? this[string key] => Values.GetValueOrDefault(key);

    public static bool TryParse(string? header, out UploadMetadata metadata, out string error)
    {
        metadata = new UploadMetadata(new Dictionary<string, string>());
        error = string.Empty;
        if (string.IsNullOrWhiteSpace(header))
        {
            return true;
        }

        if (header.Length > MaxHeaderLength)
        {
            error = $"Invalid Upload-Metadata: longer than {MaxHeaderLength} characters";
            return false;
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in header.Split(',', StringSplitOptions.TrimEntries))
        {
            var parts = pair.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length is 0 or > 2 || !values.TryAdd(parts[0], string.Empty))
            {
                error = "Invalid Upload-Metadata: use comma-separated \"key base64value\" pairs with unique keys";
                return false;
            }

            if (parts.Length == 2)
            {
                try
                {
                    values[parts[0]] = Encoding.UTF8.GetString(Convert.FromBase64String(parts[1]));
                }
                catch (FormatException)
                {
                    error = $"Invalid Upload-Metadata: the value of {parts[0]} is not base64";
                    return false;
                }
            }
        }

        metadata = new UploadMetadata(values);
        return true;
    }
}
