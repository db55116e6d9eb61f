namespace Recordings.Bench;

/// <summary>
/// What is measured and how much: every measurement is bounded by a count and by <see cref="CellTimeLimit"/>, so the
/// full plan fits in under 10 minutes on a 2-core machine and the quick plan in about one.
/// </summary>
public sealed record BenchPlan(
    string Name,
    IReadOnlyList<long> UploadSizes,
    IReadOnlyList<int> UploadClients,
    IReadOnlyDictionary<long, int> UploadsPerClientCount,
    long FileFirstSize,
    int FileFirstClients,
    IReadOnlyList<int> ReadClients,
    TimeSpan ReadDuration,
    IReadOnlyList<int> ScaleConnections,
    long ScaleFileBytes,
    TimeSpan ScaleDuration,
    long BigUploadBytes,
    long ResumableBytes,
    int ResumablePatchBytes,
    IReadOnlyList<int> ResumableClients,
    int ProgressiveRecorders,
    int ProgressiveSliceBytes,
    int ProgressiveSlices,
    TimeSpan CellTimeLimit)
{
    public const long MiB = 1024 * 1024;

    public static readonly BenchPlan Full = new(
        "full",
        UploadSizes: [1 * MiB, 10 * MiB, 50 * MiB],
        UploadClients: [1, 8, 32],
        // Enough for a p99 that means something at 1 MiB; fewer at 50 MiB, where each upload is long anyway.
        UploadsPerClientCount: new Dictionary<long, int> { [1 * MiB] = 256, [10 * MiB] = 48, [50 * MiB] = 16 },
        FileFirstSize: 10 * MiB,
        FileFirstClients: 8,
        ReadClients: [1, 16, 64],
        ReadDuration: TimeSpan.FromSeconds(5),
        ScaleConnections: [10, 100, 1000],
        ScaleFileBytes: 64 * 1024,
        // Long enough that each of 1,000 connections sends at least one upload against a storage server that takes ~100/s.
        ScaleDuration: TimeSpan.FromSeconds(10),
        BigUploadBytes: 300 * MiB,
        // As tus-js-client would send a recorded interview: 5 MiB chunks.
        ResumableBytes: 50 * MiB,
        ResumablePatchBytes: 5 * (int)MiB,
        ResumableClients: [1, 8, 32],
        // A MediaRecorder slice of about a second (~250 KB), sent back to back: what one PATCH costs the service.
        ProgressiveRecorders: 32,
        ProgressiveSliceBytes: 256 * 1024,
        ProgressiveSlices: 20,
        CellTimeLimit: TimeSpan.FromSeconds(60));

    public static readonly BenchPlan Quick = new(
        "quick",
        UploadSizes: [1 * MiB, 10 * MiB],
        UploadClients: [1, 8],
        UploadsPerClientCount: new Dictionary<long, int> { [1 * MiB] = 24, [10 * MiB] = 8 },
        FileFirstSize: 10 * MiB,
        FileFirstClients: 8,
        ReadClients: [1, 16],
        ReadDuration: TimeSpan.FromSeconds(1),
        ScaleConnections: [10, 100],
        ScaleFileBytes: 64 * 1024,
        ScaleDuration: TimeSpan.FromSeconds(3),
        BigUploadBytes: 100 * MiB,
        ResumableBytes: 20 * MiB,
        ResumablePatchBytes: 5 * (int)MiB,
        ResumableClients: [1, 8],
        ProgressiveRecorders: 8,
        ProgressiveSliceBytes: 256 * 1024,
        ProgressiveSlices: 10,
        CellTimeLimit: TimeSpan.FromSeconds(20));

    /// <summary>Uploads in one cell: the size's base count, and at least two rounds of every client.</summary>
    public int UploadsFor(long size, int clients) => Math.Max(UploadsPerClientCount[size], 2 * clients);

    /// <summary>Resumable uploads in one cell: one round of every client (so 8 x 50 MiB is eight at once), at least four.</summary>
    public int ResumableUploadsFor(int clients) => Math.Max(4, clients);

    /// <summary>The cell whose service RSS is watched: the largest files from the most clients.</summary>
    public (long Size, int Clients) MemoryCell => (UploadSizes.Max(), UploadClients.Max());

    /// <summary>What the API hosts must accept: the big single upload plus room for the multipart envelope.</summary>
    public long MaxUploadBytes => Math.Max(BigUploadBytes, UploadSizes.Max()) + MiB;
}
