using System.Net;

namespace Recordings.FunctionalTests.Auth;

public static class AuthAssert
{
    /// <summary>
    /// The status, and a FastAPI-shaped body; returns its detail. A HEAD answer has no body: null, once the status
    /// and the JSON content type are checked.
    /// </summary>
    public static async Task<string?> DetailAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        if (response.RequestMessage?.Method == HttpMethod.Head)
        {
            Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode} to a HEAD");
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            return null;
        }

        var body = await RecordingsHttp.ReadJsonAsync(response);
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        var detail = body.GetProperty("detail").GetString();
        Assert.False(string.IsNullOrWhiteSpace(detail));
        return detail!;
    }

    /// <summary>401 with WWW-Authenticate: Bearer and a detail (null for a HEAD).</summary>
    public static async Task<string?> UnauthorizedAsync(HttpResponseMessage response)
    {
        var detail = await DetailAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains(response.Headers.WwwAuthenticate, challenge => challenge.Scheme == "Bearer");
        return detail;
    }

    /// <summary>The detail holds <paramref name="expected"/>; a HEAD answer, which has none, passes on its status alone.</summary>
    public static void DetailHolds(string expected, string? detail)
    {
        if (detail is not null)
        {
            Assert.Contains(expected, detail);
        }
    }

    /// <summary>429 with a Retry-After in seconds and a detail; returns the wait.</summary>
    public static async Task<TimeSpan> TooManyAsync(HttpResponseMessage response)
    {
        await DetailAsync(response, HttpStatusCode.TooManyRequests);
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        return retryAfter.Value;
    }
}
