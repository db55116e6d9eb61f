using Microsoft.AspNetCore.Diagnostics;
using Orleans.Runtime;
using Recordings.Api.Apis;
using Recordings.Abstractions;

namespace Recordings.Api.Extensions;

/// <summary>
/// Turns what escapes a handler into FastAPI-shaped answers: 503 when a store or silo is out of reach (with the
/// reason), 500 with a generic sentence otherwise; bare status codes (unknown route, wrong method) get a detail too.
/// </summary>
public sealed class ApiErrorHandling(ILogger<ApiErrorHandling> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, detail) = exception switch
        {
            RecordingUnavailableException unavailable => (StatusCodes.Status503ServiceUnavailable, unavailable.Message),
            SiloUnavailableException or OrleansMessageRejectionException =>
                (StatusCodes.Status503ServiceUnavailable, "A silo holding this recording is not reachable right now; try again shortly"),
            TimeoutException => (StatusCodes.Status503ServiceUnavailable, "The recordings cluster did not answer in time; try again shortly"),
            _ => (StatusCodes.Status500InternalServerError, "Internal server error"),
        };

        if (status == StatusCodes.Status500InternalServerError)
        {
            logger.LogError(exception, "Unhandled error for {Method} {Path}", context.Request.Method, context.Request.Path);
        }
        else
        {
            logger.LogWarning("Answering {Status} for {Method} {Path}: {Reason}", status, context.Request.Method, context.Request.Path, exception.Message);
        }

        if (context.Response.HasStarted)
        {
            return false;
        }

        context.Response.StatusCode = status;
        await context.Response.WriteAsJsonAsync(new ErrorDetail(detail), cancellationToken);
        return true;
    }

    /// <summary>FastAPI answers {"detail": "Not Found"} for unknown routes; so do we.</summary>
    public static Task WriteStatusDetailAsync(StatusCodeContext context)
    {
        var response = context.HttpContext.Response;
        var detail = response.StatusCode switch
        {
            StatusCodes.Status404NotFound => "Not Found",
            StatusCodes.Status405MethodNotAllowed => "Method Not Allowed",
            _ => ReasonPhrases(response.StatusCode),
        };
        return response.WriteAsJsonAsync(new ErrorDetail(detail));
    }

    private static string ReasonPhrases(int status) =>
        Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Error";
}
