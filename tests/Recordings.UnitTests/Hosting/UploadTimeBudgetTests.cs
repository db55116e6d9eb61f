using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Recordings.Abstractions;
using Recordings.Hosting;

namespace Recordings.UnitTests.Hosting;

/// <summary>Issue 8 item 1: one time budget for uploads, checked when the host starts, and Orleans' timeout set from it.</summary>
public sealed class UploadTimeBudgetTests
{
    [Fact]
    public async Task A_stall_timeout_too_close_to_the_grain_call_timeout_fails_the_start_with_a_clear_message()
    {
        using var host = HostWith(new() { ["Recordings:SupabaseStallTimeout"] = "00:00:30" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Recordings__SupabaseStallTimeout (30 s) + Recordings__CommitMargin (4 s) = 34 s", error.Message);
        Assert.Contains("Recordings__GrainCallTimeout (30 s)", error.Message);
    }

    [Fact]
    public async Task A_zero_commit_margin_fails_the_start()
    {
        using var host = HostWith(new() { ["Recordings:CommitMargin"] = "00:00:00" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Recordings__CommitMargin must be positive", error.Message);
    }

    [Fact]
    public async Task The_defaults_start_and_answer_a_stalled_upload_well_within_15_seconds()
    {
        using var host = HostWith([]);
        await host.StartAsync();

        var options = host.Services.GetRequiredService<IOptions<RecordingsOptions>>().Value;
        Assert.True(options.UploadCallBudget <= TimeSpan.FromSeconds(12));
        await host.StopAsync();
    }

    [Fact]
    public void An_orleans_client_waits_for_grain_calls_as_long_as_the_budget_says()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Recordings:GrainCallTimeout"] = "00:00:41" });
        builder.Services.AddRecordingsOptions(builder.Configuration);
        builder.AddRecordingsClient();
        using var host = builder.Build();

        Assert.Equal(TimeSpan.FromSeconds(41), host.Services.GetRequiredService<IOptions<ClientMessagingOptions>>().Value.ResponseTimeout);
    }

    private static IHost HostWith(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddRecordingsOptions(builder.Configuration);
        return builder.Build();
    }
}
