using Microsoft.Extensions.Options;
using Recordings.Abstractions;
using Recordings.Api.Apis;

namespace Recordings.UnitTests.Api;

public sealed class UploadBufferPoolTests
{
    private const int Chunk = 256 * 1024;

    private static UploadBufferPool Pool(long budget) =>
        new(Options.Create(new RecordingsOptions { ChunkBytes = Chunk, UploadMemoryBytes = budget }));

    [Fact]
    public void Every_array_is_the_size_the_budget_counts_however_many_are_out()
    {
        // A 32 MiB budget admits 256 uploads of 64 KiB (128 KiB arrays); a pool that ran out of one size handed out the next.
        var pool = Pool(32L * 1024 * 1024);
        var arrays = Enumerable.Range(0, 300).Select(_ => pool.Rent(70_000)).ToList();
        arrays.ForEach(pool.Return);
        arrays.AddRange(Enumerable.Range(0, 300).Select(_ => pool.Rent(70_000)));

        Assert.All(arrays, array => Assert.Equal(128 * 1024, array.Length));
        Assert.Equal(UploadBufferPool.ArrayBytesFor(70_000), arrays[0].Length);
    }

    [Fact]
    public void A_returned_array_is_handed_out_again()
    {
        var pool = Pool(1024 * 1024);
        var first = pool.Rent(100_000);
        pool.Return(first);

        Assert.Same(first, pool.Rent(100_000));
        Assert.NotSame(first, pool.Rent(100_000));
    }

    [Fact]
    public void The_pool_keeps_no_more_than_the_budget()
    {
        var pool = Pool(1024 * 1024);
        var rented = Enumerable.Range(0, 16).Select(_ => pool.Rent(Chunk / 2)).ToList();
        rented.ForEach(pool.Return);

        var rentedAgain = Enumerable.Range(0, 16).Select(_ => pool.Rent(Chunk / 2)).ToList();

        // 1 MiB of 128 KiB arrays: 8 came back, 8 are new.
        Assert.Equal(8, rentedAgain.Count(array => rented.Contains(array)));
    }

    [Fact]
    public void When_full_the_size_given_back_pushes_out_other_sizes()
    {
        var pool = Pool(1024 * 1024);
        var chunks = Enumerable.Range(0, 4).Select(_ => pool.Rent(Chunk)).ToList();
        chunks.ForEach(pool.Return);

        // The pool is full of chunks; a small upload's array still finds room, and a chunk less is kept.
        var small = pool.Rent(64 * 1024);
        pool.Return(small);
        var chunksAgain = Enumerable.Range(0, 4).Select(_ => pool.Rent(Chunk)).ToList();

        Assert.Same(small, pool.Rent(64 * 1024));
        Assert.Equal(3, chunksAgain.Count(array => chunks.Contains(array)));
    }
}
