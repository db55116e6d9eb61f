using Microsoft.Extensions.Options;

namespace Recordings.Supabase;

/// <summary>Fails the host at start on a setting that could only fail later, per request.</summary>
/// <remarks>Messages name the setting, never its value: the key must not reach a log.</remarks>
internal sealed class SupabaseOptionsValidator : IValidateOptions<SupabaseOptions>
{
    // Polly refuses a shorter break.
    private static readonly TimeSpan MinimumBreakDuration = TimeSpan.FromMilliseconds(500);

    public ValidateOptionsResult Validate(string? name, SupabaseOptions options)
    {
        var failures = new List<string>();

        if (!string.IsNullOrWhiteSpace(options.Url) && !IsHttpUrl(options.Url))
        {
            failures.Add("Supabase:Url must be an absolute http:// or https:// URI (the project URL).");
        }

        if (options.Key is { } key && key.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            failures.Add("Supabase:Key must not contain whitespace or control characters.");
        }

        if (string.IsNullOrWhiteSpace(options.Bucket) || options.Bucket.Contains('/'))
        {
            failures.Add("Supabase:Bucket must be a non-empty name without '/'.");
        }

        if (options.SignedUrlExpirySeconds <= 0)
        {
            failures.Add("Supabase:SignedUrlExpirySeconds must be positive.");
        }

        if (options.RequestTimeout <= TimeSpan.Zero || options.UploadTimeout <= TimeSpan.Zero)
        {
            failures.Add("Supabase:RequestTimeout and Supabase:UploadTimeout must be positive.");
        }

        if (options.MaxRetryAttempts is < 0 or > 10)
        {
            failures.Add("Supabase:MaxRetryAttempts must be between 0 and 10.");
        }

        if (options.RetryBaseDelay < TimeSpan.Zero)
        {
            failures.Add("Supabase:RetryBaseDelay must not be negative.");
        }

        if (options.CircuitBreakDuration < MinimumBreakDuration)
        {
            failures.Add("Supabase:CircuitBreakDuration must be at least 0.5 s.");
        }

        if (options.GlobalFileSizeLimit is <= 0)
        {
            failures.Add("Supabase:GlobalFileSizeLimit must be positive when set.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsHttpUrl(string url) =>
        Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && string.IsNullOrEmpty(uri.Query)
        && string.IsNullOrEmpty(uri.Fragment);
}
