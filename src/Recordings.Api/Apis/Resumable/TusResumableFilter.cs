namespace Recordings.Api.Apis.Resumable;

/// <summary>
/// Every tus response says Tus-Resumable; every tus request must send Tus-Resumable: 1.0.0 (412 otherwise).
/// OPTIONS (discovery) and GET (the finished upload's JSON) are not tus requests.
/// </summary>
public sealed class TusResumableFilter : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        http.Response.Headers[TusHeaders.TusResumable] = TusHeaders.Version;
        var method = http.Request.Method;
        if (!HttpMethods.IsOptions(method) && !HttpMethods.IsGet(method) &&
            http.Request.Headers[TusHeaders.TusResumable] != TusHeaders.Version)
        {
            http.Response.Headers[TusHeaders.TusVersion] = TusHeaders.Version;
            return ValueTask.FromResult<object?>(ApiProblem.Status(StatusCodes.Status412PreconditionFailed,
                $"Missing or unsupported Tus-Resumable: this server speaks {TusHeaders.Version}"));
        }

        return next(context);
    }
}
