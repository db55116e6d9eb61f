using System.Collections;

namespace Recordings.ServiceDefaults.Configuration;

public static class DotEnvFile
{
    /// <summary>
    /// Loads an optional .env from the working directory into the process environment, the way python-dotenv does for
    /// the seed server (variables already set in the real environment win). Then an empty value means "not set",
    /// as env.example and docker-compose.yml write it: such variables are removed, so a typed setting keeps its default.
    /// </summary>
    public static void Load()
    {
        DotNetEnv.Env.NoClobber().Load();
        foreach (var name in Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
                     .Where(variable => string.IsNullOrEmpty(variable.Value as string)).Select(variable => (string)variable.Key).ToList())
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }
}
