using Microsoft.Extensions.Options;
using Recordings.Abstractions;

namespace Recordings.Hosting;

/// <summary>
/// One time budget for an upload, checked when the host starts. The API gives each upload grain call
/// SupabaseStallTimeout + CommitMargin; Orleans' own response timeout (GrainCallTimeout) must stay well above that,
/// or Orleans answers 503 while the grain is still about to keep the file locally and commit it (a duplicate when
/// the client retries).
/// </summary>
public sealed class UploadTimeBudgetValidator : IValidateOptions<RecordingsOptions>
{
    /// <summary>Orleans must wait at least this many times the upload call budget.</summary>
    public const int GrainCallHeadroom = 2;

    public ValidateOptionsResult Validate(string? name, RecordingsOptions options)
    {
        var failures = new List<string>();
        if (options.SupabaseStallTimeout <= TimeSpan.Zero)
        {
            failures.Add("Recordings__SupabaseStallTimeout must be positive");
        }

        if (options.CommitMargin <= TimeSpan.Zero)
        {
            failures.Add("Recordings__CommitMargin must be positive");
        }

        if (options.GrainCallTimeout < options.UploadCallBudget * GrainCallHeadroom)
        {
            failures.Add(
                $"Recordings__SupabaseStallTimeout ({Seconds(options.SupabaseStallTimeout)}) + Recordings__CommitMargin " +
                $"({Seconds(options.CommitMargin)}) = {Seconds(options.UploadCallBudget)} must be at most 1/{GrainCallHeadroom} of " +
                $"Recordings__GrainCallTimeout ({Seconds(options.GrainCallTimeout)}): otherwise Orleans gives up on an upload " +
                "before it has fallen back to local disk, and the client is told 503 about a file that is then stored");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string Seconds(TimeSpan value) => $"{value.TotalSeconds:0.###} s";
}
