using Recordings.Api.Apis;

namespace Recordings.Api.Auth;

/// <summary>The FastAPI-shaped answers of refused requests: 401, 403 and 429 with {"detail": "..."}.</summary>
public static class AuthResponses
{
    public static Task WriteAsync(HttpResponse response, int status, string detail)
    {
        response.StatusCode = status;
        return response.WriteAsJsonAsync(new ErrorDetail(detail));
    }

    public static Task WriteTooManyAsync(HttpResponse response, TimeSpan? retryAfter, string what)
    {
        var seconds = (int)Math.Ceiling(Math.Max(1, retryAfter?.TotalSeconds ?? 1));
        response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return WriteAsync(response, StatusCodes.Status429TooManyRequests, $"Too many {what}; retry in {seconds} s");
    }
}
