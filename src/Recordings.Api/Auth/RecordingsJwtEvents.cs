using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Recordings.Api.Auth;

/// <summary>
/// Where the token comes from (header, or the `token` query parameter) and how a failed authentication is answered:
/// 401 with WWW-Authenticate: Bearer and a detail that names the problem but never echoes the token, 429 once the
/// client address has failed too often, or 503 when the keys of Auth__JwksUrl cannot be loaded (the token may be fine).
/// </summary>
public sealed class RecordingsJwtEvents(FailedAuthenticationLimiter failures, ILogger<RecordingsJwtEvents> logger) : JwtBearerEvents
{
    private static readonly object BlockedKey = new();

    public override Task MessageReceived(MessageReceivedContext context)
    {
        var http = context.HttpContext;
        if (failures.IsBlocked(http, out var retryAfter))
        {
            http.Items[BlockedKey] = retryAfter;
            context.NoResult();
            return Task.CompletedTask;
        }

        if (string.IsNullOrEmpty(context.Request.Headers.Authorization) &&
            context.Request.Query.TryGetValue(QueryToken.Parameter, out var token) && !string.IsNullOrEmpty(token))
        {
            context.Token = token;
            QueryToken.MarkUsed(http);
        }

        return Task.CompletedTask;
    }

    public override async Task Challenge(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        var http = context.HttpContext;
        if (http.Items.TryGetValue(BlockedKey, out var retryAfter))
        {
            await AuthResponses.WriteTooManyAsync(context.Response, retryAfter as TimeSpan?, "failed authentications from this address");
            return;
        }

        if (context.AuthenticateFailure is SecurityTokenSignatureKeyNotFoundException && context.Options.ConfigurationManager is { } keys &&
            !await KeysLoadAsync(keys, http.RequestAborted))
        {
            await AuthResponses.WriteAsync(context.Response, StatusCodes.Status503ServiceUnavailable,
                "The token signing keys (Auth__JwksUrl) could not be loaded; try again shortly");
            return;
        }

        failures.RecordFailure(http);
        context.Response.Headers.WWWAuthenticate = context.AuthenticateFailure is null ? "Bearer" : "Bearer error=\"invalid_token\"";
        await AuthResponses.WriteAsync(context.Response, StatusCodes.Status401Unauthorized, Describe(context.AuthenticateFailure));
    }

    private async Task<bool> KeysLoadAsync(IConfigurationManager<OpenIdConnectConfiguration> keys, CancellationToken cancellationToken)
    {
        try
        {
            await keys.GetConfigurationAsync(cancellationToken);
            return true;
        }
        catch (InvalidOperationException exception)
        {
            logger.LogWarning("Could not load the token signing keys from Auth__JwksUrl: {Reason}", exception.InnerException?.Message ?? exception.Message);
            return false;
        }
    }

    private static string Describe(Exception? failure) => failure switch
    {
        null => "Not authenticated",
        SecurityTokenExpiredException => "Token expired",
        SecurityTokenNotYetValidException => "Token not yet valid",
        SecurityTokenInvalidIssuerException => "Token issuer not accepted",
        SecurityTokenInvalidAudienceException => "Token audience not accepted",
        SecurityTokenNoExpirationException => "Token has no expiry",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "Token signature is invalid",
        SecurityTokenMalformedException or ArgumentException => "Token is malformed",
        _ => "Token is invalid",
    };
}
