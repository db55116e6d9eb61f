using Recordings.Abstractions;

namespace Recordings.Api.Apis;

/// <summary>
/// Refuses, before any handler runs, a session id or filename that is not one safe path segment: every name that
/// reaches a grain or the disk has passed here.
/// </summary>
public sealed class SafeNamesFilter : IEndpointFilter
{
    private const string Rule = "use 1-128 characters of A-Z a-z 0-9 _ . - and no '..'";

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var route = context.HttpContext.Request.RouteValues;
        foreach (var name in (string[])["session_id", "filename"])
        {
            if (route.TryGetValue(name, out var value) && !RecordingNames.IsSafeSegment(value as string))
            {
                return ValueTask.FromResult<object?>(ApiProblem.BadRequest($"Invalid {name}: {Rule}"));
            }
        }

        return next(context);
    }
}
