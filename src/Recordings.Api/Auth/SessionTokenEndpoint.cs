using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Recordings.Api.Apis;

namespace Recordings.Api.Auth;

/// <summary>
/// POST /recordings/{session_id}/tokens (service role only): the interview app's backend mints one token per session
/// for its recorder, as Supabase's signed upload URLs and Mux's direct uploads do.
/// </summary>
public static class SessionTokenEndpoint
{
    public const string DefaultScope = RecordingsPolicies.Upload + " " + RecordingsPolicies.Read;
    public const int DefaultExpiresIn = 3600;

    public static RouteGroupBuilder MapSessionTokens(this RouteGroupBuilder api)
    {
        api.MapPost("/{session_id}/tokens", MintAsync)
            .WithName("MintSessionToken")
            .WithSummary("Mint a token for one session (service role only); JSON {scope, expires_in}")
            .Accepts<SessionTokenRequest>("application/json")
            .RequireAuthorization(RecordingsPolicies.ServiceRole);
        return api;
    }

    public static async Task<Results<Ok<SessionTokenResponse>, JsonHttpResult<ErrorDetail>>> MintAsync(
        string session_id, HttpRequest request, SessionTokenIssuer issuer, IOptions<AuthOptions> auth, IOptions<JsonOptions> json)
    {
        if (!issuer.CanMint)
        {
            return ApiProblem.NotFound("Session tokens need Auth__JwtSecret or Auth__SigningKey; authentication is off or verifies with JWKS only");
        }

        SessionTokenRequest? body;
        try
        {
            body = request.ContentLength == 0 ? null : await JsonSerializer.DeserializeAsync<SessionTokenRequest>(request.Body, json.Value.SerializerOptions, request.HttpContext.RequestAborted);
        }
        catch (JsonException)
        {
            return ApiProblem.Status(StatusCodes.Status422UnprocessableEntity, "The body must be JSON: {\"scope\": \"...\", \"expires_in\": seconds}");
        }

        var scopes = (body?.Scope ?? DefaultScope).Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct().ToList();
        if (scopes.Count == 0 || scopes.Any(scope => !RecordingsPolicies.Scopes.Contains(scope)))
        {
            return ApiProblem.Status(StatusCodes.Status422UnprocessableEntity,
                $"scope must be space-separated values from: {string.Join(' ', RecordingsPolicies.Scopes)}");
        }

        var maxSeconds = (long)auth.Value.MaxTokenLifetime.TotalSeconds;
        var expiresIn = body?.ExpiresIn ?? DefaultExpiresIn;
        if (expiresIn < 1 || expiresIn > maxSeconds)
        {
            return ApiProblem.Status(StatusCodes.Status422UnprocessableEntity,
                $"expires_in must be between 1 and {maxSeconds} seconds (Auth__MaxTokenLifetime)");
        }

        var scope = string.Join(' ', scopes);
        var (token, expiresAt) = issuer.Mint(session_id, scope, TimeSpan.FromSeconds(expiresIn));
        return TypedResults.Ok(new SessionTokenResponse(token,
            expiresAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), session_id, scope));
    }
}
