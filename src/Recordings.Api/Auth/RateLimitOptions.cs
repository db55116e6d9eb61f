namespace Recordings.Api.Auth;

/// <summary>
/// Rate limits (section "RateLimits"), fixed windows; a limit of 0 turns that limit off. The defaults are far above
/// what an honest recorder does: one upload per recording, a few failed authentications when a token expires.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Failed authentications (401s) a client address may cause per window before it gets 429s.</summary>
    public int FailedAuthentications { get; set; } = 30;

    public TimeSpan FailedAuthenticationWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Uploads (and created resumable uploads) per token per window, or per client address when auth is off.</summary>
    public int Uploads { get; set; } = 120;

    public TimeSpan UploadWindow { get; set; } = TimeSpan.FromMinutes(1);
}
