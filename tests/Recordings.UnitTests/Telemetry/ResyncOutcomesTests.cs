using Recordings.Abstractions;
using Recordings.Grains.Telemetry;

namespace Recordings.UnitTests.Telemetry;

public sealed class ResyncOutcomesTests
{
    [Fact]
    public void Every_resync_decision_has_one_snake_case_outcome_label()
    {
        var labels = Enum.GetValues<ResyncDecision>().Select(ResyncOutcomes.Of).ToList();

        Assert.Equal(labels.Count, labels.Distinct().Count());
        Assert.All(labels, label => Assert.Matches("^[a-z]+(_[a-z]+)*$", label));
        Assert.Equal("already_in_supabase", ResyncOutcomes.Of(ResyncDecision.AlreadyInSupabase));
    }
}
