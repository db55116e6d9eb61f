namespace Recordings.Tests.Infrastructure;

/// <summary>Files of this repository (manifests, dashboards, env.example), found from the test's build output upwards.</summary>
public static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relativePath) => Path.Combine(Root, relativePath);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "RecordingsCluster.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No RecordingsCluster.sln above {AppContext.BaseDirectory}.");
    }
}
