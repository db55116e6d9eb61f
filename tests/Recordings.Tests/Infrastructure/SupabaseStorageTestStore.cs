using System.Security.Cryptography;

namespace Recordings.Tests.Infrastructure;

/// <summary>
/// The buckets and objects of <see cref="SupabaseStorageTestServer"/>: metadata in memory, bytes in files under a
/// temp folder (uploads may be hundreds of MB). An object exists only once its whole body was received.
/// </summary>
internal sealed class SupabaseStorageTestStore
{
    private const int CopyBufferBytes = 128 * 1024;

    private readonly Lock gate = new();
    private readonly Dictionary<string, TestBucket> buckets = new(StringComparer.Ordinal);
    private readonly string objectsDirectory;
    private readonly string incomingDirectory;

    public SupabaseStorageTestStore()
    {
        Root = Path.Combine(Path.GetTempPath(), "supabase-test-" + Guid.NewGuid().ToString("N"));
        objectsDirectory = Path.Combine(Root, "objects");
        incomingDirectory = Path.Combine(Root, "incoming");
        Directory.CreateDirectory(objectsDirectory);
        Directory.CreateDirectory(incomingDirectory);
    }

    public string Root { get; }

    /// <summary>The server-wide object size limit (Supabase's global file-size limit); null for none.</summary>
    public long? MaxObjectBytes { get; set; }

    public bool TryCreateBucket(TestBucket bucket)
    {
        lock (gate)
        {
            return buckets.TryAdd(bucket.Id, bucket);
        }
    }

    public TestBucket? FindBucket(string id)
    {
        lock (gate)
        {
            return buckets.GetValueOrDefault(id);
        }
    }

    public IReadOnlyList<TestBucket> Buckets()
    {
        lock (gate)
        {
            return [.. buckets.Values.OrderBy(b => b.Id, StringComparer.Ordinal)];
        }
    }

    public TestObject? Find(string bucket, string path)
    {
        lock (gate)
        {
            return buckets.TryGetValue(bucket, out var found) ? found.Objects.GetValueOrDefault(path) : null;
        }
    }

    public IReadOnlyList<TestObject> List(string bucket)
    {
        lock (gate)
        {
            return buckets.TryGetValue(bucket, out var found) ? [.. found.Objects.Values] : [];
        }
    }

    /// <summary>The smaller of the global and the bucket's limit.</summary>
    public long? LimitFor(TestBucket bucket) => (MaxObjectBytes, bucket.FileSizeLimitBytes) switch
    {
        ({ } global, { } own) => Math.Min(global, own),
        ({ } global, null) => global,
        (null, var own) => own,
    };

    /// <summary>Copies a body to a temp file, hashing as it goes; nothing is left behind if it fails or passes the limit.</summary>
    public async Task<ReceivedBody> ReceiveAsync(Stream body, long? limit, CancellationToken cancellationToken)
    {
        var tempPath = Path.Combine(incomingDirectory, Guid.NewGuid().ToString("N"));
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        var buffer = new byte[CopyBufferBytes];
        long size = 0;
        try
        {
            await using (var file = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0, useAsync: true))
            {
                int read;
                while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    size += read;
                    if (size > limit)
                    {
                        throw new ObjectTooLargeException();
                    }

                    sha256.AppendData(buffer, 0, read);
                    md5.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }

            return new ReceivedBody(tempPath, size, Convert.ToHexStringLower(sha256.GetHashAndReset()), Convert.ToHexStringLower(md5.GetHashAndReset()));
        }
        catch
        {
            File.Delete(tempPath);
            throw;
        }
    }

    public ReceivedBody Receive(byte[] data)
    {
        var tempPath = Path.Combine(incomingDirectory, Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(tempPath, data);
        return new ReceivedBody(tempPath, data.Length, Convert.ToHexStringLower(SHA256.HashData(data)), Convert.ToHexStringLower(MD5.HashData(data)));
    }

    /// <summary>Makes a received body an object. Without upsert an existing object wins and the body is dropped.</summary>
    public (CommitOutcome Outcome, TestObject? Object) Commit(string bucket, string path, ReceivedBody body, string contentType, bool upsert)
    {
        var finalPath = Path.Combine(objectsDirectory, Guid.NewGuid().ToString("N"));
        var now = DateTimeOffset.UtcNow;
        TestObject? replaced;
        TestObject stored;
        lock (gate)
        {
            if (!buckets.TryGetValue(bucket, out var target))
            {
                File.Delete(body.TempPath);
                return (CommitOutcome.NoBucket, null);
            }

            replaced = target.Objects.GetValueOrDefault(path);
            if (replaced is not null && !upsert)
            {
                File.Delete(body.TempPath);
                return (CommitOutcome.AlreadyExists, replaced);
            }

            File.Move(body.TempPath, finalPath);
            // An upsert keeps the object's id and creation time, like Supabase.
            stored = new TestObject(
                replaced?.Id ?? Guid.NewGuid(), bucket, path, body.Size, body.Sha256Hex, body.Md5Hex, contentType,
                replaced?.CreatedAt ?? now, now, finalPath);
            target.Objects[path] = stored;
        }

        // A reader may still stream the old file: on Linux it stays readable until closed.
        if (replaced is not null)
        {
            File.Delete(replaced.FilePath);
        }

        return (CommitOutcome.Stored, stored);
    }

    public TestObject? Delete(string bucket, string path)
    {
        TestObject? removed;
        lock (gate)
        {
            if (!buckets.TryGetValue(bucket, out var target) || !target.Objects.Remove(path, out removed))
            {
                return null;
            }
        }

        File.Delete(removed.FilePath);
        return removed;
    }

    public void DeleteAllFiles()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (Directory.Exists(Root))
                {
                    Directory.Delete(Root, recursive: true);
                }

                return;
            }
            catch (IOException) when (attempt < 5)
            {
                // A response may still be closing a file it served.
                Thread.Sleep(100);
            }
        }
    }
}

internal enum CommitOutcome
{
    Stored,
    AlreadyExists,
    NoBucket,
}

internal sealed class ObjectTooLargeException : Exception;

internal sealed record ReceivedBody(string TempPath, long Size, string Sha256Hex, string Md5Hex);

internal sealed record TestObject(
    Guid Id, string Bucket, string Path, long Size, string Sha256Hex, string Md5Hex, string ContentType,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string FilePath);

/// <summary>A bucket; <see cref="FileSizeLimit"/> is kept as it was sent (a number or a string like "500KB").</summary>
internal sealed record TestBucket(
    string Id, string Name, bool Public, object? FileSizeLimit, long? FileSizeLimitBytes, IReadOnlyList<string>? AllowedMimeTypes,
    DateTimeOffset CreatedAt)
{
    public Dictionary<string, TestObject> Objects { get; } = new(StringComparer.Ordinal);
}
