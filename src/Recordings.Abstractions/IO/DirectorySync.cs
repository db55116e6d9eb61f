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
    public static void MoveDurably(string source, string target, bool overwrite)
    {
        File.Move(source, target, overwrite);
        Flush(Path.GetDirectoryName(Path.GetFullPath(target))!);
    }

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
