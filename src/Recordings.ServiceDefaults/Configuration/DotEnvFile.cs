namespace Recordings.ServiceDefaults.Configuration;

/// <summary>
/// Loads an optional .env from the working directory into the process environment, the way python-dotenv does
/// for the seed server: variables already set in the real environment win.
/// </summary>
public static class DotEnvFile
{
    public static void Load() => DotNetEnv.Env.NoClobber().Load();
}
