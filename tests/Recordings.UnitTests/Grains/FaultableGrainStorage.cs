using System.Collections.Concurrent;
using Orleans.Storage;

namespace Recordings.UnitTests.Grains;

/// <summary>
/// The real file grain storage, with two switches for tests: fail every write while <see cref="FailWrites"/> is set,
/// and hold the next write until the test releases it (to line calls up behind a busy grain); it also counts the
/// writes each grain made.
/// </summary>
public sealed class FaultableGrainStorage(IGrainStorage inner) : IGrainStorage
{
    private readonly ConcurrentDictionary<GrainId, int> writes = new();
    private readonly Lock gate = new();
    private HeldWrite? nextHeld;

    public bool FailWrites { get; set; }

    /// <summary>How many writes of <paramref name="grainId"/>'s state were stored.</summary>
    public int WritesOf(GrainId grainId) => writes.GetValueOrDefault(grainId);

    /// <summary>
    /// The next write of <paramref name="grainId"/>'s state waits until <see cref="HeldWrite.Release"/>;
    /// <see cref="HeldWrite.Arrived"/> says it is waiting. Other grains (re-sync runs in the background) write on.
    /// </summary>
    public HeldWrite HoldNextWrite(GrainId grainId)
    {
        lock (gate)
        {
            return nextHeld = new HeldWrite(grainId);
        }
    }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        HeldWrite? held;
        lock (gate)
        {
            held = nextHeld?.GrainId == grainId ? nextHeld : null;
            if (held is not null)
            {
                nextHeld = null;
            }
        }

        if (held is not null)
        {
            held.MarkArrived();
            await held.Released;
        }

        if (FailWrites)
        {
            throw new IOException("Grain storage write failed (test switch)");
        }

        await inner.WriteStateAsync(stateName, grainId, grainState);
        writes.AddOrUpdate(grainId, 1, (_, count) => count + 1);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);

    public sealed class HeldWrite(GrainId grainId)
    {
        public GrainId GrainId => grainId;

        private readonly TaskCompletionSource arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Arrived => arrived.Task;

        internal Task Released => released.Task;

        internal void MarkArrived() => arrived.TrySetResult();

        public void Release() => released.TrySetResult();
    }
}
