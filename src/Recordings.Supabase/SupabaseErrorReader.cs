using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Recordings.Supabase;

/// <summary>
/// Turns an error answer into a <see cref="SupabaseStorageException"/>. Supabase puts the real status in the body
/// (HTTP 400 with "statusCode":"404"); unknown routes give a Fastify body with a numeric statusCode; a gateway in
/// front may answer with HTML or plain text. Nothing here assumes JSON.
/// </summary>
internal static partial class SupabaseErrorReader
{
    private const int MaxQuotedTextLength = 200;

    public static SupabaseStorageException Read(string operation, string target, HttpStatusCode httpStatus, string? mediaType, string body)
    {
        var status = (int)httpStatus;
        var httpStatusText = status.ToString(CultureInfo.InvariantCulture);
        var (statusCode, errorCode, reason) = TryReadJson(body, httpStatusText)
            ?? (httpStatusText, null, DescribeNonJson(httpStatus, mediaType, body));

        var code = errorCode is null ? string.Empty : $", {errorCode}";
        return new SupabaseStorageException(
            $"Supabase {operation} of '{target}' failed: {reason} (HTTP {status}, status {statusCode}{code})",
            statusCode,
            errorCode,
            status);
    }

    // Storage's own errors carry statusCode (a string, or a number from Fastify); a gateway's JSON may carry only a message.
    private static (string StatusCode, string? ErrorCode, string Reason)? TryReadJson(string body, string httpStatus)
    {
        if (!body.AsSpan().TrimStart().StartsWith("{"))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var reason = StringOrNull(root, "message") ?? StringOrNull(root, "error");
            if (reason is null)
            {
                return null;
            }

            var status = root.TryGetProperty("statusCode", out var statusCode) ? statusCode.ValueKind switch
            {
                JsonValueKind.String => statusCode.GetString(),
                JsonValueKind.Number => statusCode.GetRawText(),
                _ => null,
            } : null;

            return (string.IsNullOrWhiteSpace(status) ? httpStatus : status, StringOrNull(root, "code"), Shorten(reason));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string DescribeNonJson(HttpStatusCode httpStatus, string? mediaType, string body)
    {
        var isHtml = mediaType?.Contains("html", StringComparison.OrdinalIgnoreCase) == true
            || body.AsSpan().TrimStart().StartsWith("<");
        if (isHtml)
        {
            // A gateway's error page: its title says enough, the markup says nothing.
            var title = HtmlTitle().Match(body);
            return title.Success ? Shorten(title.Groups["title"].Value) : $"HTTP {(int)httpStatus} {httpStatus} (HTML page)";
        }

        return string.IsNullOrWhiteSpace(body) ? $"HTTP {(int)httpStatus} {httpStatus} (empty body)" : Shorten(body);
    }

    private static string? StringOrNull(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Shorten(string text)
    {
        var oneLine = Whitespace().Replace(text, " ").Trim();
        return oneLine.Length <= MaxQuotedTextLength ? oneLine : string.Concat(oneLine.AsSpan(0, MaxQuotedTextLength), "...");
    }

    [GeneratedRegex(@"<title[^>]*>(?<title>[^<]*)</title>", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HtmlTitle();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
