using System.Security.Cryptography;

namespace Recordings.Testing;

/// <summary>
/// The buckets and objects of <see cref="SupabaseStorageTestServer"/>: metadata in memory, bytes in files under a
/// temp folder (uploads may be hundreds of MB). An object exists only once its whole body was received.
/// </summary>
internal sealed class SupabaseStorageTestStore
{
    private const int CopyBufferBytes = 128 * 1024;

    private readonly Lock gate = new();
    private readonly Dictionary<string, SupabaseTestBucket> buckets = new(StringComparer.Ordinal);
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

    public bool TryCreateBucket(SupabaseTestBucket bucket)
    {
        lock (gate)
        {
            return buckets.TryAdd(bucket.Id, bucket);
        }
    }

    public SupabaseTestBucket? FindBucket(string id)
    {
        lock (gate)
        {
            return buckets.GetValueOrDefault(id);
        }
    }

    public IReadOnlyList<SupabaseTestBucket> Buckets()
    {
        lock (gate)
        {
            return [.. buckets.Values.OrderBy(b => b.Id, StringComparer.Ordinal)];
        }
    }

    public SupabaseTestObject? Find(string bucket, string path)
    {
        lock (gate)
        {
            return buckets.TryGetValue(bucket, out var found) ? found.Objects.GetValueOrDefault(path) : null;
        }
    }

    public IReadOnlyList<SupabaseTestObject> List(string bucket)
    {
        lock (gate)
        {
            return buckets.TryGetValue(bucket, out var found) ? [.. found.Objects.Values] : [];
        }
    }

    /// <summary>The smaller of the global and the bucket's limit.</summary>
    public long? LimitFor(SupabaseTestBucket bucket) => (MaxObjectBytes, bucket.FileSizeLimitBytes) switch
    {
        ({ } global, { } own) => Math.Min(global, own),
        ({ } global, null) => global,
        (null, var own) => own,
    };

    /// <summary>Copies a body to a temp file, hashing as it goes; nothing is left behind if it fails.</summary>
    public async Task<SupabaseReceivedBody> ReceiveAsync(Stream body, CancellationToken cancellationToken)
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

                    sha256.AppendData(buffer, 0, read);
                    md5.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }

            return new SupabaseReceivedBody(tempPath, size, Convert.ToHexStringLower(sha256.GetHashAndReset()), Convert.ToHexStringLower(md5.GetHashAndReset()));
        }
        catch
        {
            File.Delete(tempPath);
            throw;
        }
    }

    /// <summary>A fresh path in the folder of bodies still arriving (removed with the store).</summary>
    public string NewIncomingPath() => Path.Combine(incomingDirectory, Guid.NewGuid().ToString("N"));

    public SupabaseReceivedBody Receive(byte[] data)
    {
        var tempPath = Path.Combine(incomingDirectory, Guid.NewGuid().ToString("N"));
        File.WriteAllBytes(tempPath, data);
        return new SupabaseReceivedBody(tempPath, data.Length, Convert.ToHexStringLower(SHA256.HashData(data)), Convert.ToHexStringLower(MD5.HashData(data)));
    }

    /// <summary>Makes a received body an object. Without upsert an existing object wins and the body is dropped.</summary>
    public (SupabaseCommitOutcome Outcome, SupabaseTestObject? Object) Commit(string bucket, string path, SupabaseReceivedBody body, string contentType, bool upsert)
    {
        var finalPath = Path.Combine(objectsDirectory, Guid.NewGuid().ToString("N"));
        var now = DateTimeOffset.UtcNow;
        SupabaseTestObject? replaced;
        SupabaseTestObject stored;
        lock (gate)
        {
            if (!buckets.TryGetValue(bucket, out var target))
            {
                File.Delete(body.TempPath);
                return (SupabaseCommitOutcome.NoBucket, null);
            }

            replaced = target.Objects.GetValueOrDefault(path);
            if (replaced is not null && !upsert)
            {
                File.Delete(body.TempPath);
                return (SupabaseCommitOutcome.AlreadyExists, replaced);
            }

            File.Move(body.TempPath, finalPath);
            // An upsert keeps the object's id and creation time, like Supabase.
            stored = new SupabaseTestObject(
                replaced?.Id ?? Guid.NewGuid(), bucket, path, body.Size, body.Sha256Hex, body.Md5Hex, contentType,
                replaced?.CreatedAt ?? now, now, finalPath);
            target.Objects[path] = stored;
        }

        // A reader may still stream the old file: on Linux it stays readable until closed.
        if (replaced is not null)
        {
            File.Delete(replaced.FilePath);
        }

        return (SupabaseCommitOutcome.Stored, stored);
    }

    public SupabaseTestObject? Delete(string bucket, string path)
    {
        SupabaseTestObject? removed;
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

internal enum SupabaseCommitOutcome
{
    Stored,
    AlreadyExists,
    NoBucket,
}


internal sealed record SupabaseReceivedBody(string TempPath, long Size, string Sha256Hex, string Md5Hex);

internal sealed record SupabaseTestObject(
    Guid Id, string Bucket, string Path, long Size, string Sha256Hex, string Md5Hex, string ContentType,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string FilePath);

/// <summary>A bucket; <see cref="FileSizeLimit"/> is kept as it was sent (a number or a string like "500KB").</summary>
internal sealed record SupabaseTestBucket(
    string Id, string Name, bool Public, object? FileSizeLimit, long? FileSizeLimitBytes, IReadOnlyList<string>? AllowedMimeTypes,
    DateTimeOffset CreatedAt)
{
    public Dictionary<string, SupabaseTestObject> Objects { get; } = new(StringComparer.Ordinal);
}
