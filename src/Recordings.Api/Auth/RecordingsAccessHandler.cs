using Microsoft.AspNetCore.Authorization;

namespace Recordings.Api.Auth;

/// <summary>Decides <see cref="RecordingsAccessRequirement"/>; each refusal carries the sentence the 403 answers with.</summary>
public sealed class RecordingsAccessHandler : AuthorizationHandler<RecordingsAccessRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, RecordingsAccessRequirement requirement)
    {
        if (context.Resource is not HttpContext http || context.User.Identity?.IsAuthenticated != true)
        {
            return Task.CompletedTask;
        }

        if (QueryToken.WasUsed(http) && !QueryToken.IsAllowedFor(http.Request))
        {
            context.Fail(new AuthorizationFailureReason(this,
                "A token in the query string is accepted only on GET and HEAD requests; send it as 'Authorization: Bearer <token>'"));
            return Task.CompletedTask;
        }

        if (context.User.IsServiceRole())
        {
            context.Succeed(requirement);
            return Task.CompletedTask;
        }

        if (requirement.Scope is null)
        {
            context.Fail(new AuthorizationFailureReason(this, "Only the service role may do this"));
            return Task.CompletedTask;
        }

        var session = http.GetRouteValue("session_id") as string;
        if (session is null || context.User.FindFirst(RecordingsClaims.SessionId)?.Value != session)
        {
            context.Fail(new AuthorizationFailureReason(this, "This token does not cover this session"));
        }
        else if (!context.User.Scopes().Contains(requirement.Scope))
        {
            context.Fail(new AuthorizationFailureReason(this, $"This token lacks the scope {requirement.Scope}"));
        }
        else
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
