namespace Recordings.Api.Auth;

/// <summary>
/// A token in the `token` query parameter, for media elements that cannot send headers. It is read on any request
/// (so that a change carrying one gets a 403 that says why) but only authorizes GET and HEAD.
/// </summary>
public static class QueryToken
{
    public const string Parameter = "token";

    private static readonly object UsedKey = new();

    public static void MarkUsed(HttpContext context) => context.Items[UsedKey] = true;

    public static bool WasUsed(HttpContext context) => context.Items.ContainsKey(UsedKey);

    public static bool IsAllowedFor(HttpRequest request) => HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);
}
