using System.Text.RegularExpressions;

namespace Recordings.FunctionalTests.Api;

/// <summary>
/// Issue 8 item 10: a rename is durable only once the folder holding the new name is fsynced. The one-machine host
/// runs under strace (Debian's, installed by scripts/test.sh), which prints each call with the paths behind its file
/// descriptors (-y): before the rename that turns a spool into a recording, and before the one that makes a session's
/// new state file current, the file's bytes must be fsynced; after it, the folder of the new name.
/// </summary>
public sealed partial class DurableRenameTests : IAsyncLifetime
{
    private readonly string trace = Path.Combine(Path.GetTempPath(), $"recordings-strace-{Guid.NewGuid():N}.log");
    private HostProcess api = null!;

    public async Task InitializeAsync()
    {
        api = HostProcess.Define("Recordings.Api", settings: null);
        api.CommandPrefix = ["strace", "-f", "-qq", "-y", "-s", "4096", "--seccomp-bpf",
            "-e", "trace=rename,renameat,renameat2,link,linkat,fsync,fdatasync", "-o", trace];
        await api.StartAgainAsync();
    }

    public async Task DisposeAsync()
    {
        await api.DisposeAsync();
        File.Delete(trace);
    }

    [Fact]
    public async Task A_new_recording_and_a_new_session_state_are_fsynced_before_the_rename_and_their_folder_after_it()
    {
        var session = RecordingsHttp.NewSessionId();
        var filename = (await api.Client.UploadOkAsync(session, RecordingsHttp.RandomBytes(20_000))).Str("filename");
        var lines = File.ReadAllLines(trace);

        var recording = Path.Combine(api.RecordingsDirectory, session, filename);
        AssertFolderFsyncedAfterRename(lines, target => target == recording);
        var sessionStates = Path.Combine(api.WorkingDirectory, "data", "grains", "session");
        AssertFolderFsyncedAfterRename(lines, target => target.StartsWith(sessionStates, StringComparison.Ordinal) &&
            target.EndsWith(".state", StringComparison.Ordinal) && target.Contains(session, StringComparison.Ordinal));
    }

    // Finds the last rename (or link, which File.Move uses when it must not replace) to a matching name, an fsync of
    // the renamed file before it and one of the new name's folder after it.
    private void AssertFolderFsyncedAfterRename(string[] lines, Func<string, bool> isTarget)
    {
        var renamed = -1;
        string? folder = null;
        string? source = null;
        for (var i = 0; i < lines.Length; i++)
        {
            // Relative names (the host's DATA_DIR is "data") are relative to its working folder.
            if (RenameCall().Match(lines[i]) is { Success: true } call &&
                Path.GetFullPath(call.Groups["target"].Value, api.WorkingDirectory) is var target && isTarget(target))
            {
                (renamed, folder, source) = (i, Path.GetDirectoryName(target), Path.GetFullPath(call.Groups["source"].Value, api.WorkingDirectory));
            }
        }

        Assert.True(renamed >= 0, $"no rename to the expected name in the trace:\n{string.Join('\n', lines.TakeLast(40))}");
        Assert.True(
            lines.Take(renamed).Any(line => FsyncCall().Match(line) is { Success: true } sync && sync.Groups["path"].Value == source),
            $"{source} was not fsynced before the rename at line {renamed + 1}:\n{string.Join('\n', lines.Take(renamed + 1).TakeLast(20))}");
        Assert.True(
            lines.Skip(renamed + 1).Any(line => FsyncCall().Match(line) is { Success: true } sync && sync.Groups["path"].Value == folder),
            $"{folder} was not fsynced after the rename at line {renamed + 1}:\n{string.Join('\n', lines.Skip(renamed).Take(20))}");
    }

    // rename("a", "b"), renameat(fd, "a", fd, "b"), renameat2(..., "b", flags), link("a", "b"), linkat(fd, "a", fd, "b", 0)
    [GeneratedRegex("\\b(?:rename|renameat2?|linkat?)\\([^\"]*\"(?<source>[^\"]*)\",[^\"]*\"(?<target>[^\"]+)\"")]
    private static partial Regex RenameCall();

    [GeneratedRegex(@"\bf(?:data)?sync\(\d+<(?<path>[^>]+)>")]
    private static partial Regex FsyncCall();
}
