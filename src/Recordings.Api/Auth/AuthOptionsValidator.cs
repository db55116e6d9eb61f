using System.Net;
using System.Text;
using Microsoft.Extensions.Options;

namespace Recordings.Api.Auth;

/// <summary>Refuses, at start, a combination of auth settings that would not do what its author meant.</summary>
public sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    // HS256 keys shorter than the hash are refused by Microsoft.IdentityModel at the first request; say so at start.
    private const int MinSecretBytes = 32;

    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var errors = new List<string>();
        var hasSecret = !string.IsNullOrWhiteSpace(options.JwtSecret);
        var hasJwks = !string.IsNullOrWhiteSpace(options.JwksUrl);
        var hasSigningKey = !string.IsNullOrWhiteSpace(options.SigningKey);

        if (!options.Enabled && (hasSigningKey || !string.IsNullOrWhiteSpace(options.Issuer) || !string.IsNullOrWhiteSpace(options.Audience)))
        {
            errors.Add("Auth__Issuer, Auth__Audience or Auth__SigningKey is set but neither Auth__JwtSecret nor Auth__JwksUrl: " +
                       "authentication would be off. Set one of them, or remove the others.");
        }

        if (hasSecret && hasSigningKey)
        {
            errors.Add("Auth__SigningKey is only for Auth__JwksUrl without Auth__JwtSecret; with Auth__JwtSecret, minted tokens are signed with the secret. Remove one.");
        }

        if (hasSecret && Encoding.UTF8.GetByteCount(options.JwtSecret!) < MinSecretBytes)
        {
            errors.Add($"Auth__JwtSecret must be at least {MinSecretBytes} bytes long (HS256).");
        }

        if (hasSigningKey && Encoding.UTF8.GetByteCount(options.SigningKey!) < MinSecretBytes)
        {
            errors.Add($"Auth__SigningKey must be at least {MinSecretBytes} bytes long (HS256).");
        }

        if (hasJwks && !IsAcceptableJwksUrl(options.JwksUrl!))
        {
            errors.Add("Auth__JwksUrl must be an https URL (plain http only on a loopback address, as a local Supabase uses).");
        }

        if (options.MaxTokenLifetime < TimeSpan.FromMinutes(1) || options.MaxTokenLifetime > TimeSpan.FromDays(366))
        {
            errors.Add("Auth__MaxTokenLifetime must be between 00:01:00 and 366.00:00:00.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public static bool IsLoopback(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.Host, out var address) && IPAddress.IsLoopback(address));

    private static bool IsAcceptableJwksUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var url) &&
        (url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && IsLoopback(url)));
}
