namespace Recordings.Bench.Measure;

/// <summary>The processes whose CPU a measurement reports: the service under test, the storage server and this client.</summary>
public sealed record BenchProcesses(int? StoragePid)
{
    public const string Service = "service";
    public const string Storage = "storage";
    public const string Client = "client";

    public CpuMeter StartMeter(int? servicePid)
    {
        var processes = new Dictionary<string, int> { [Client] = Environment.ProcessId };
        if (servicePid is { } service)
        {
            processes[Service] = service;
        }

        if (StoragePid is { } storage)
        {
            processes[Storage] = storage;
        }

        return CpuMeter.Start(processes);
    }
}
