using System.Diagnostics;
using System.Net;

namespace Recordings.FunctionalTests.Api;

/// <summary>
/// Issue 8: a DELETE while Supabase stalls holds its session (and the session's next upload) only for the upload's stall
/// budget (default settings: 8 s), then answers 503 and changes nothing; once Supabase answers, the same DELETE works.
/// </summary>
public sealed class DeleteStallTests(DefaultBudgetApiFixture fixture) : IClassFixture<DefaultBudgetApiFixture>, IAsyncLifetime
{
    private static readonly TimeSpan DefaultStallTimeout = TimeSpan.FromSeconds(8);

    public Task InitializeAsync() => fixture.HealAsync();

    public Task DisposeAsync() => fixture.HealAsync();

    [Fact]
    public async Task A_delete_during_a_stall_answers_503_within_the_stall_budget_and_keeps_the_recording()
    {
        var session = RecordingsHttp.NewSessionId();
        var uploaded = await fixture.Client.UploadOkAsync(session, RecordingsHttp.RandomBytes(10_000));
        Assert.Equal("supabase", uploaded.Str("storage_type"));
        var filename = uploaded.Str("filename");
        fixture.Supabase.Fault = SupabaseFault.Stall;
        var clock = Stopwatch.StartNew();

        var (status, body) = await fixture.Client.DeleteJsonAsync($"/recordings/{session}/{filename}");

        Assert.True(clock.Elapsed < DefaultStallTimeout + TimeSpan.FromSeconds(3), $"answered after {clock.Elapsed}");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains($"Supabase did not answer within 8 s, {filename} was not deleted", body.Str("detail"));
        Assert.Equal([filename], (await fixture.Client.ListAsync(session)).Filenames());
        Assert.True(fixture.Supabase.Exists(SupabaseApiFixture.Bucket, $"{session}/{filename}"));

        await fixture.HealAsync();
        var (retried, answer) = await fixture.Client.DeleteJsonAsync($"/recordings/{session}/{filename}");

        Assert.True(retried == HttpStatusCode.OK, $"{(int)retried}: {answer}");
        Assert.Empty((await fixture.Client.ListAsync(session)).Filenames());
        Assert.False(fixture.Supabase.Exists(SupabaseApiFixture.Bucket, $"{session}/{filename}"));
    }
}
