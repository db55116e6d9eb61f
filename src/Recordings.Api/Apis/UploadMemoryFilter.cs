namespace Recordings.Api.Apis;

/// <summary>
/// Holds an upload request until <see cref="UploadMemoryBudget"/> has room for its body, and gives the room back when
/// the answer is ready. A request without a body (a tus creation without data) passes straight through.
/// </summary>
public sealed class UploadMemoryFilter(UploadMemoryBudget budget) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        if (request.ContentLength == 0)
        {
            return await next(context);
        }

        using var lease = await budget.AcquireAsync(request.ContentLength, context.HttpContext.RequestAborted);
        return await next(context);
    }
}
