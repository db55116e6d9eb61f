using System.Text.RegularExpressions;

namespace Recordings.UnitTests.Deployment;

public sealed partial class ComposeTests
{
    [Fact]
    public void Compose_passes_every_setting_env_example_lists_to_the_hosts()
    {
        var settings = File.ReadLines(RepositoryFiles.PathOf("env.example"))
            .Select(line => Setting().Match(line))
            .Where(match => match.Success)
            .Select(match => match.Groups[1].Value)
            .ToList();
        var compose = File.ReadAllText(RepositoryFiles.PathOf("docker-compose.yml"));

        Assert.NotEmpty(settings);
        Assert.All(settings, setting => Assert.Matches($@"(?m)^\s+{Regex.Escape(setting)}:", compose));
    }

    [GeneratedRegex(@"^([A-Za-z_][A-Za-z0-9_]*)=")]
    private static partial Regex Setting();
}
