using Recordings.Abstractions;
using Recordings.Api.Apis;

namespace Recordings.UnitTests.Api;

public sealed class ByteRangeTests
{
    [Theory]
    [InlineData("bytes=0-9", 100, 0, 9)]
    [InlineData("bytes=90-", 100, 90, 99)]
    [InlineData("bytes=-10", 100, 90, 99)]
    [InlineData("bytes=50-500", 100, 50, 99)]
    [InlineData("bytes=-500", 100, 0, 99)]
    public void Satisfiable_ranges_resolve(string header, long length, long from, long to)
    {
        Assert.True(ByteRange.TryParse(header, out var spec));
        Assert.Equal(new ByteRange(from, to), ByteRange.Resolve(spec!, length));
    }

    [Theory]
    [InlineData("bytes=100-", 100)]
    [InlineData("bytes=9-3", 100)]
    [InlineData("bytes=x-3", 100)]
    [InlineData("bytes=-0", 100)]
    public void Unsatisfiable_ranges_resolve_to_null(string header, long length)
    {
        Assert.True(ByteRange.TryParse(header, out var spec));
        Assert.Null(ByteRange.Resolve(spec!, length));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("items=0-1")]
    [InlineData("bytes=0-1,5-6")]
    public void Absent_foreign_or_multiple_ranges_mean_the_whole_file(string? header) =>
        Assert.False(ByteRange.TryParse(header, out _));
}
