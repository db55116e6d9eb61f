using Recordings.Abstractions;

namespace Recordings.Api.Apis;

/// <summary>
/// Refuses, before any handler runs, a session id or filename that is not one safe path segment: every name that
/// reaches a grain or the disk has passed here.
/// </summary>
public sealed class SafeNamesFilter : IEndpointFilter
{
    private static readonly string SessionIdRule =
        $"use 1-{RecordingNames.MaxSessionIdLength} characters of A-Z a-z 0-9 _ . - and no '..'";

    private static readonly string FilenameRule =
        $"use 1-{RecordingNames.MaxFilenameLength} characters of A-Z a-z 0-9 _ . - and no '..'";

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var route = context.HttpContext.Request.RouteValues;
        if (route.TryGetValue("session_id", out var sessionId) && !RecordingNames.IsValidSessionId(sessionId as string))
        {
            return ValueTask.FromResult<object?>(ApiProblem.BadRequest($"Invalid session_id: {SessionIdRule}"));
        }

        if (route.TryGetValue("filename", out var filename) && !RecordingNames.IsValidFilename(filename as string))
        {
            return ValueTask.FromResult<object?>(ApiProblem.BadRequest($"Invalid filename: {FilenameRule}"));
        }

        return next(context);
    }
}
