using Microsoft.AspNetCore.Identity;

namespace LlmTr.Identity;

/// <summary>A person who signs in to the dashboard (a developer) or the admin console (an admin).</summary>
public sealed class ApplicationUser : IdentityUser
{
    public DateTimeOffset CreatedAt { get; set; }
}
