using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Recordings.Abstractions.IO;

/// <summary>
/// Makes a rename durable: on Linux a rename is only safe across a power loss once the directory holding the new
/// name is fsynced too. Elsewhere (no POSIX open on directories) this does nothing.
/// </summary>
public static class DirectorySync
{
    private const int ReadOnly = 0;
    private const int DirectoryOnly = 0x10000; // O_DIRECTORY on Linux

    /// <summary>
    /// Renames <paramref name="source"/> to <paramref name="target"/> and flushes the target's folder: every rename
    /// that makes something current (a spool becoming a recording, a new grain state) goes through here.
    /// </summary>
    public static Task MoveDurablyAsync(string source, string target, bool overwrite)
    {
        File.Move(source, target, overwrite);
        return FlushAsync(Path.GetDirectoryName(Path.GetFullPath(target))!);
    }

    private static readonly ConcurrentDictionary<string, DirectoryFlushGroup> Groups = new(StringComparer.Ordinal);

    /// <summary>
    /// Flushes <paramref name="directory"/> once every rename made in it before the call is covered, sharing one fsync
    /// with every caller that arrives while another flush of that directory runs (group commit): a hundred uploads
    /// committing at once into one folder cost a couple of fsyncs, not a hundred.
    /// </summary>
    public static Task FlushAsync(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return Task.CompletedTask;
        }

        while (true)
        {
            var group = Groups.GetOrAdd(directory, static path => new DirectoryFlushGroup(path));
            if (group.TryJoin(out var flushed))
            {
                return flushed;
            }

            // That group went idle and left the table just now: take a fresh one.
            Groups.TryRemove(new KeyValuePair<string, DirectoryFlushGroup>(directory, group));
        }
    }

    internal static void Retire(DirectoryFlushGroup group) =>
        Groups.TryRemove(new KeyValuePair<string, DirectoryFlushGroup>(group.Directory, group));

    public static void Flush(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var handle = Open(directory, ReadOnly | DirectoryOnly);
        if (handle < 0)
        {
            throw new IOException($"Could not open {directory} to flush it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (Fsync(handle) != 0)
            {
                throw new IOException($"Could not flush {directory} (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(handle);
        }
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
}
