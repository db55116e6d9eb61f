using System.Diagnostics;
using System.Net;
using Recordings.FunctionalTests.Infrastructure;

namespace Recordings.FunctionalTests.Api;

/// <summary>
/// Issue 8 item 1 with the DEFAULT settings: a stalled Supabase (connections accepted, nothing answered) costs an
/// upload one stall timeout, then it is kept locally and acknowledged, whichever part comes first, exactly once.
/// </summary>
public sealed class StallBudgetTests(DefaultBudgetApiFixture fixture) : IClassFixture<DefaultBudgetApiFixture>, IAsyncLifetime
{
    public Task InitializeAsync() => fixture.HealAsync();

    public Task DisposeAsync() => fixture.HealAsync();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_stalled_upload_answers_200_local_within_15_seconds_and_is_stored_once(bool typeFirst)
    {
        var session = RecordingsHttp.NewSessionId();
        fixture.Supabase.Fault = SupabaseFault.Stall;
        var clock = Stopwatch.StartNew();

        var (status, body) = await fixture.Client.UploadAsync(session, RecordingsHttp.RandomBytes(3 * 1024 * 1024), typeFirst: typeFirst);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"answered after {clock.Elapsed}");
        Assert.True(status == HttpStatusCode.OK, $"{(int)status}: {body}");
        Assert.Equal("local", body.Str("storage_type"));
        var list = await fixture.Client.ListAsync(session).WaitAsync(TimeSpan.FromSeconds(2));
        Assert.Equal([body.Str("filename")], list.Filenames());
    }

    [Fact]
    public async Task Reading_an_unknown_session_during_a_stall_answers_404_at_once()
    {
        fixture.Supabase.Fault = SupabaseFault.Stall;
        var clock = Stopwatch.StartNew();

        var (status, _) = await fixture.Client.GetJsonAsync($"/recordings/{RecordingsHttp.NewSessionId()}");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"answered after {clock.Elapsed}");
    }
}
