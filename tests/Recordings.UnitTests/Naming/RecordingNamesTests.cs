using Recordings.Abstractions;

namespace Recordings.UnitTests.Naming;

public sealed class RecordingNamesTests
{
    [Theory]
    [InlineData("session_123")]
    [InlineData("a.b-c_D9")]
    [InlineData("x")]
    public void Safe_segments_are_accepted(string value)
    {
        Assert.True(RecordingNames.IsValidSessionId(value));
        Assert.True(RecordingNames.IsValidFilename(value));
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("a..b")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("a b")]
    [InlineData("séance")]
    [InlineData("~spool")]
    [InlineData(null)]
    public void Unsafe_segments_are_refused(string? value)
    {
        Assert.False(RecordingNames.IsValidSessionId(value));
        Assert.False(RecordingNames.IsValidFilename(value));
    }

    [Fact]
    public void Session_ids_longer_than_128_characters_are_refused()
    {
        Assert.True(RecordingNames.IsValidSessionId(new string('a', 128)));
        Assert.False(RecordingNames.IsValidSessionId(new string('a', 129)));
    }

    [Fact]
    public void The_longest_name_the_service_generates_is_a_valid_filename_that_fits_a_linux_file_name()
    {
        var longest = RecordingNames.Create(new string('t', RecordingNames.MaxRecordingTypeLength), new string('i', RecordingNames.MaxSessionIdLength),
            DateTimeOffset.UtcNow, new string('e', RecordingNames.MaxExtensionLength), attempt: int.MaxValue);

        Assert.Equal(RecordingNames.MaxFilenameLength, longest.Length);
        Assert.True(RecordingNames.IsValidFilename(longest));
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(longest) <= 255);
        Assert.False(RecordingNames.IsValidFilename(longest + "x"));
        Assert.True(RecordingNames.IsValidRecordingType(new string('t', RecordingNames.MaxRecordingTypeLength)));
        Assert.Equal(new string('e', RecordingNames.MaxExtensionLength), RecordingNames.ExtensionOf("a." + new string('e', RecordingNames.MaxExtensionLength)));
    }

    [Fact]
    public void Names_of_the_longest_ids_and_types_are_read_back()
    {
        var id = "A.b-C_" + new string('9', RecordingNames.MaxSessionIdLength - 6);
        var name = RecordingNames.Create(new string('t', 64), id, new DateTimeOffset(2024, 12, 1, 14, 30, 22, TimeSpan.Zero), "webm", attempt: 12);

        Assert.True(RecordingNames.TryParse(name, out var type, out var time));
        Assert.Equal(new string('t', 64), type);
        Assert.Equal(new DateTimeOffset(2024, 12, 1, 14, 30, 22, TimeSpan.Zero), time);
    }

    [Fact]
    public void Names_follow_the_seed_scheme_in_utc()
    {
        var time = new DateTimeOffset(2024, 12, 1, 15, 30, 22, TimeSpan.FromHours(1));
        Assert.Equal("session_recording_session_123_20241201_143022.webm",
            RecordingNames.Create("session", "session_123", time, "webm"));
        Assert.Equal("screen_recording_s_20241201_143022_3.mp4", RecordingNames.Create("screen", "s", time, "mp4", attempt: 3));
    }

    [Theory]
    [InlineData("interview.webm", "webm")]
    [InlineData("clip.MP4", "MP4")]
    [InlineData("noext", "webm")]
    [InlineData(null, "webm")]
    [InlineData("evil.we/bm", "webm")]
    public void Extension_comes_from_the_uploaded_name_or_defaults_to_webm(string? name, string expected) =>
        Assert.Equal(expected, RecordingNames.ExtensionOf(name));

    [Fact]
    public void Type_and_time_are_read_back_from_seed_names()
    {
        Assert.True(RecordingNames.TryParse("screen_recording_session_123_20241201_143022.webm", out var type, out var time));
        Assert.Equal("screen", type);
        Assert.Equal(new DateTimeOffset(2024, 12, 1, 14, 30, 22, TimeSpan.Zero), time);

        Assert.True(RecordingNames.TryParse("session_recording_a_b_20241201_143022_2.webm", out type, out _));
        Assert.Equal("session", type);

        Assert.False(RecordingNames.TryParse("holiday.webm", out _, out _));
    }
}
