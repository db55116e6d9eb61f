namespace Recordings.Import;

/// <summary>A one-line progress bar on stderr: [#####.....] 12/40 files, 120.5 MB.</summary>
public sealed class ProgressBar : IProgress<(int Done, int Total, long Bytes)>
{
    private const int Width = 30;

    public void Report((int Done, int Total, long Bytes) value)
    {
        var filled = value.Total == 0 ? Width : value.Done * Width / value.Total;
        Console.Error.Write($"\r[{new string('#', filled)}{new string('.', Width - filled)}] {value.Done}/{value.Total} files, {value.Bytes / 1e6:0.0} MB uploaded");
        if (value.Done == value.Total)
        {
            Console.Error.WriteLine();
        }
    }
}
