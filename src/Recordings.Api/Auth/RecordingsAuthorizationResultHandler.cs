using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Recordings.Api.Auth;

/// <summary>A 403 says, as {"detail"}, why the token does not cover the request; challenges go to JwtBearer (401).</summary>
public sealed class RecordingsAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler defaultHandler = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (!authorizeResult.Forbidden)
        {
            return defaultHandler.HandleAsync(next, context, policy, authorizeResult);
        }

        var reason = authorizeResult.AuthorizationFailure?.FailureReasons.FirstOrDefault()?.Message ?? "This token does not allow this request";
        return AuthResponses.WriteAsync(context.Response, StatusCodes.Status403Forbidden, reason);
    }
}
