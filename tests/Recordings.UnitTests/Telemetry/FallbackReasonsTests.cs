using Recordings.Abstractions;
using Recordings.Grains.Telemetry;

namespace Recordings.UnitTests.Telemetry;

/// <summary>The reasons the HTTP tests cannot provoke cheaply; the others are covered end to end in MetricsTests.</summary>
public sealed class FallbackReasonsTests
{
    [Theory]
    [InlineData("Supabase client not initialized", FallbackReasons.Unconfigured)]
    [InlineData("Supabase upload of 's/a.webm' failed: Supabase failed repeatedly just before; not retrying for up to 15 s", FallbackReasons.CircuitOpen)]
    [InlineData("Supabase upload of 's/a.webm' failed: 502 Bad Gateway (HTTP 502, status 502)", FallbackReasons.ServerError)]
    [InlineData("Supabase upload of 's/a.webm' failed: no answer within 600 s", FallbackReasons.Stalled)]
    [InlineData("Supabase upload of 's/a.webm' failed: Invalid JWT (HTTP 400, status 403, InvalidJWT)", FallbackReasons.Other)]
    [InlineData("IOException: broken pipe", FallbackReasons.Other)]
    public void A_failure_reason_maps_to_one_fallback_tag(string failureReason, string expected) =>
        Assert.Equal(expected, FallbackReasons.Classify(failureReason));
}
