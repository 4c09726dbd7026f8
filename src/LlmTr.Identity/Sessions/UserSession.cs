namespace LlmTr.Identity.Sessions;

/// <summary>
/// A signed-in browser session, kept server-side so that signing out, a password change or disabling a user
/// really ends it. The cookie carries only the session key; the row is found by that key's SHA-256.
/// </summary>
internal sealed class UserSession
{
    public required string Id { get; init; }

    public required string UserId { get; init; }

    public required byte[] Ticket { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset ExpiresAt { get; set; }
}
