namespace Recordings.FunctionalTests.Infrastructure;

/// <summary>What makes a set of host settings a test silo's: its name, and membership that notices a dead silo in seconds.</summary>
public static class TestSiloSettings
{
    /// <summary>Adds the silo's name and fast failure detection to <paramref name="settings"/>, and returns them.</summary>
    public static Dictionary<string, string?> Named(string name, Dictionary<string, string?> settings)
    {
        settings["SILO_NAME"] = name;
        settings["Orleans__SiloName"] = name;
        settings["Orleans__Membership__ProbeTimeout"] = "00:00:01";
        settings["Orleans__Membership__NumMissedProbesLimit"] = "2";
        settings["Orleans__Membership__IAmAliveTablePublishTimeout"] = "00:00:02";
        settings["Orleans__Membership__TableRefreshTimeout"] = "00:00:02";
        return settings;
    }
}
