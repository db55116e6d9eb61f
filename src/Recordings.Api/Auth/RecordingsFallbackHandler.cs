using Microsoft.AspNetCore.Authorization;

namespace Recordings.Api.Auth;

/// <summary>Decides <see cref="RecordingsFallbackRequirement"/>: open outside /recordings, the service role inside.</summary>
public sealed class RecordingsFallbackHandler : AuthorizationHandler<RecordingsFallbackRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, RecordingsFallbackRequirement requirement)
    {
        if (context.Resource is not HttpContext http || !http.Request.Path.StartsWithSegments(RecordingsFallbackRequirement.ProtectedPath))
        {
            context.Succeed(requirement);
            return Task.CompletedTask;
        }

        if (context.User.Identity?.IsAuthenticated != true)
        {
            return Task.CompletedTask; // a challenge: 401
        }

        if (context.User.IsServiceRole() && (!QueryToken.WasUsed(http) || QueryToken.IsAllowedFor(http.Request)))
        {
            context.Succeed(requirement);
        }
        else
        {
            context.Fail(new AuthorizationFailureReason(this, "Only the service role may do this"));
        }

        return Task.CompletedTask;
    }
}
