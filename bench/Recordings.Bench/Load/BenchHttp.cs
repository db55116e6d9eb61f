namespace Recordings.Bench.Load;

/// <summary>HttpClients for load: no connection cap, no cookies, long timeouts (a 300 MiB upload on a busy machine is slow).</summary>
public static class BenchHttp
{
    public static HttpClient Create(Uri baseAddress, TimeSpan timeout) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = int.MaxValue,
        UseCookies = false,
        ConnectTimeout = TimeSpan.FromSeconds(30),
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
    })
    {
        BaseAddress = baseAddress,
        Timeout = timeout,
    };

    /// <summary>At most 200 characters of a body, for an error message.</summary>
    public static string Excerpt(string text) => text.Length <= 200 ? text : text[..200] + "...";
}
