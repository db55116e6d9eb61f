namespace Recordings.Api.Auth;

/// <summary>POST /recordings/{session_id}/tokens: what to mint (both fields optional).</summary>
public sealed record SessionTokenRequest(string? Scope, int? ExpiresIn);

/// <summary>A minted session token; expires_at is UTC, ISO 8601.</summary>
public sealed record SessionTokenResponse(string Token, string ExpiresAt, string SessionId, string Scope);
