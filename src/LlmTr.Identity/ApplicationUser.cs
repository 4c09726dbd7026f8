using Microsoft.AspNetCore.Identity;

namespace LlmTr.Identity;

/// <summary>A person who signs in to the dashboard (a developer) or the admin console (an admin).</summary>
public sealed class ApplicationUser : IdentityUser
{
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The UI language the user chose (<c>en</c>, <c>tr</c>), applied when they sign in; null: the browser's.</summary>
    public string? PreferredCulture { get; set; }

    /// <summary>The theme the user chose (<c>light</c>, <c>dark</c>), applied when they sign in; null: light.</summary>
    public string? PreferredTheme { get; set; }

    /// <summary>
    /// When the owner asked to delete the account. From then on it may not create keys or top up; if the deletion stopped
    /// half-way, the owner can still sign in and ask again, which finishes it.
    /// </summary>
    public DateTimeOffset? DeletionStartedAt { get; set; }

    /// <summary>When the account was deleted: its personal data is gone, and it can never sign in again.</summary>
    public DateTimeOffset? DeletedAt { get; set; }
}
