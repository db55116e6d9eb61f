using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Recordings.Testing;

/// <summary>What the test server does to every request instead of answering it normally.</summary>
public enum SupabaseFault
{
    None,

    /// <summary>HTTP 500 with Supabase's JSON error body.</summary>
    Status500,

    /// <summary>Accepts the request and never answers, until the fault is cleared (then 500) or the client gives up.</summary>
    Stall,

    /// <summary>A gateway in front answers 502 with an HTML page.</summary>
    BadGatewayHtml,
}

/// <summary>An object as the test server holds it; hashes are lowercase hex of the bytes received.</summary>
public sealed record StoredObject(string Path, long Size, string Sha256Hex, string Md5Hex, string ContentType, DateTimeOffset CreatedAt);

/// <summary>
/// A Supabase Storage stand-in on a real Kestrel server at 127.0.0.1: the routes under /storage/v1 answer as
/// shared/supabase-storage-contract.md records the real server. Objects are files in a temp folder, removed on dispose.
/// Faults, refused connections and request logs let tests show how a client copes.
/// </summary>
public sealed class SupabaseStorageTestServer : IAsyncDisposable
{
    private const string StoragePrefix = "/storage/v1";

    private readonly SupabaseStorageTestStore store = new();
    private readonly SupabaseTestTokens tokens = new();
    private readonly SupabaseStorageTestEndpoints endpoints;
    private readonly ConcurrentQueue<string> requestLines = new();
    private readonly SemaphoreSlim listening = new(1, 1);
    private readonly Lock faultGate = new();
    private SupabaseFault fault;
    private TaskCompletionSource stallReleased = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebApplication? app;
    private int port;

    private SupabaseStorageTestServer()
    {
        endpoints = new SupabaseStorageTestEndpoints(store, tokens);
    }

    /// <summary>The project URL (clients add /storage/v1).</summary>
    public string Url => $"http://127.0.0.1:{port}";

    public string ServiceRoleKey => tokens.ServiceRoleKey;

    public string AnonKey => tokens.AnonKey;

    public SupabaseFault Fault
    {
        get
        {
            lock (faultGate)
            {
                return fault;
            }
        }
        set
        {
            lock (faultGate)
            {
                fault = value;
            }

            if (value != SupabaseFault.Stall)
            {
                ReleaseStalledRequests();
            }
        }
    }

    /// <summary>
    /// Global object size limit. As on the real server, only a declared Content-Length over it is refused; a chunked
    /// body is stored whatever its size.
    /// </summary>
    public long? MaxObjectBytes
    {
        get => store.MaxObjectBytes;
        set => store.MaxObjectBytes = value;
    }

    /// <summary>What each request costs on top of the server's own work (the bench's calibrated mode); free by default.</summary>
    public StorageServerCost Cost { get; set; } = StorageServerCost.None;

    /// <summary>Act as Supabase's gateway too: refuse (401) requests whose apikey header is missing or unknown.</summary>
    public bool RequireApiKey { get; set; }

    /// <summary>Resumable uploads (tus) refuse any part but the last that is not this long; hosted Supabase's 6 MiB by default.</summary>
    public int ResumablePartBytes
    {
        get => endpoints.ResumablePartBytes;
        set => endpoints.ResumablePartBytes = value;
    }

    /// <summary>Answer resumable creations with the wrong Location a gateway that forwards nothing causes.</summary>
    public bool ResumableLocationIgnoresForwarding
    {
        get => endpoints.ResumableLocationIgnoresForwarding;
        set => endpoints.ResumableLocationIgnoresForwarding = value;
    }

    /// <summary>Every resumable upload created so far, finished or not.</summary>
    public IReadOnlyList<SupabaseResumableUploadView> ResumableUploads => endpoints.ResumableUploads();

    public int RequestCount => requestLines.Count;

    /// <summary>Requests the server has finished with (answered, or dropped because the client went away).</summary>
    public CountSignal HandledRequests { get; } = new();

    /// <summary>Requests held by <see cref="SupabaseFault.Stall"/> so far.</summary>
    public CountSignal StalledRequests { get; } = new();

    /// <summary>"METHOD /path" of every request received, in order.</summary>
    public IReadOnlyList<string> RequestLines => [.. requestLines];

    public static async Task<SupabaseStorageTestServer> StartAsync(int port = 0)
    {
        var server = new SupabaseStorageTestServer();
        try
        {
            await server.ListenAsync(port);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops listening: connections to the port are refused until <see cref="AcceptConnectionsAsync"/>.</summary>
    public async Task RefuseConnectionsAsync()
    {
        await listening.WaitAsync();
        try
        {
            ReleaseStalledRequests();
            if (app is { } running)
            {
                app = null;
                await running.StopAsync();
                await running.DisposeAsync();
            }
        }
        finally
        {
            listening.Release();
        }
    }

    /// <summary>Listens again on the same port, with the same buckets and objects.</summary>
    public Task AcceptConnectionsAsync() => ListenAsync(port);

    public void CreateBucket(string name, bool isPublic, long? fileSizeLimit = null)
    {
        if (!store.TryCreateBucket(new SupabaseTestBucket(name, name, isPublic, fileSizeLimit, fileSizeLimit, null, DateTimeOffset.UtcNow)))
        {
            throw new InvalidOperationException($"Bucket {name} already exists.");
        }
    }

    /// <summary>Seeds an object as if uploaded earlier (e.g. by the old server); replaces one at the same path.</summary>
    public void PutObject(string bucket, string path, byte[] data, string contentType = "video/webm")
    {
        var (outcome, _) = store.Commit(bucket, path, store.Receive(data), contentType, upsert: true);
        if (outcome == SupabaseCommitOutcome.NoBucket)
        {
            throw new InvalidOperationException($"Bucket {bucket} does not exist; create it first.");
        }
    }

    public IReadOnlyCollection<StoredObject> Objects(string bucket) =>
        [.. store.List(bucket)
            .OrderBy(o => o.Path, StringComparer.Ordinal)
            .Select(o => new StoredObject(o.Path, o.Size, o.Sha256Hex, o.Md5Hex, o.ContentType, o.CreatedAt))];

    public bool Exists(string bucket, string path) => store.Find(bucket, path) is not null;

    public async ValueTask DisposeAsync()
    {
        await RefuseConnectionsAsync();
        store.DeleteAllFiles();
        listening.Dispose();
    }

    private async Task ListenAsync(int requestedPort)
    {
        await listening.WaitAsync();
        try
        {
            if (app is not null)
            {
                return;
            }

            // The temp folder as content root: no appsettings.json of the test project leaks in.
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = store.Root });
            builder.Logging.ClearProviders();
            builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(2));
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                kestrel.Listen(IPAddress.Loopback, requestedPort);
                // Recordings are large and may arrive slowly through a pipe.
                kestrel.Limits.MaxRequestBodySize = null;
                kestrel.Limits.MinRequestBodyDataRate = null;
            });

            var started = builder.Build();
            started.Run(HandleAsync);
            await started.StartAsync();

            var address = started.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            port = new Uri(address).Port;
            app = started;
        }
        finally
        {
            listening.Release();
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        try
        {
            await AnswerAsync(context);
        }
        finally
        {
            HandledRequests.Increment();
        }
    }

    private async Task AnswerAsync(HttpContext context)
    {
        requestLines.Enqueue($"{context.Request.Method} {context.Request.Path}");

        if (!context.Request.Path.StartsWithSegments(StoragePrefix, out var storagePath))
        {
            await SupabaseStorageTestEndpoints.WriteJsonAsync(context, 404,
                new { message = $"Route {context.Request.Method}:{context.Request.Path} not found", error = "Not Found", statusCode = 404 });
            return;
        }

        switch (Fault)
        {
            case SupabaseFault.Status500:
                await SupabaseStorageTestEndpoints.WriteErrorAsync(context, SupabaseTestError.Internal);
                return;
            case SupabaseFault.BadGatewayHtml:
                await WriteBadGatewayAsync(context);
                return;
            case SupabaseFault.Stall:
                await StallAsync(context);
                return;
        }

        if (RequireApiKey && !HasKnownApiKey(context))
        {
            var message = context.Request.Headers.ContainsKey("apikey") ? "Invalid API key" : "No API key found in request";
            await SupabaseStorageTestEndpoints.WriteJsonAsync(context, 401, new { message });
            return;
        }

        var cost = Cost;
        if (cost.IsFree)
        {
            await endpoints.HandleAsync(context, storagePath.Value ?? string.Empty);
            return;
        }

        context.Request.Body = new CostedReadStream(context.Request.Body, cost, context.RequestAborted);
        await cost.BeforeAsync(context.RequestAborted);
        await endpoints.HandleAsync(context, storagePath.Value ?? string.Empty);
    }

    private async Task StallAsync(HttpContext context)
    {
        Task released;
        lock (faultGate)
        {
            released = stallReleased.Task;
        }

        StalledRequests.Increment();

        try
        {
            await released.WaitAsync(context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The client gave up: there is nobody left to answer.
            return;
        }

        await SupabaseStorageTestEndpoints.WriteErrorAsync(context, SupabaseTestError.Internal);
    }

    private void ReleaseStalledRequests()
    {
        TaskCompletionSource released;
        lock (faultGate)
        {
            released = stallReleased;
            stallReleased = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        released.TrySetResult();
    }

    private bool HasKnownApiKey(HttpContext context) =>
        context.Request.Headers["apikey"].ToString() is var key && (key == ServiceRoleKey || key == AnonKey);

    private static async Task WriteBadGatewayAsync(HttpContext context)
    {
        context.Response.StatusCode = 502;
        context.Response.ContentType = "text/html";
        await context.Response.WriteAsync(
            "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n" +
            "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n");
    }
}
