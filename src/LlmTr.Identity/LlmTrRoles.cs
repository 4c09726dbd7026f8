namespace LlmTr.Identity;

public static class LlmTrRoles
{
    public const string Admin = "Admin";
    public const string Developer = "Developer";

    /// <summary>The Admin role's fixed id (see <see cref="Seed"/>).</summary>
    public const string AdminRoleId = "admin";

    public static IReadOnlyList<string> All { get; } = [Admin, Developer];

    /// <summary>The roles as migration seed data: fixed ids and stamps, so the model never drifts.</summary>
    internal static IEnumerable<Microsoft.AspNetCore.Identity.IdentityRole> Seed() => All.Select(name => new Microsoft.AspNetCore.Identity.IdentityRole(name)
    {
        Id = name.ToLowerInvariant(),
        NormalizedName = name.ToUpperInvariant(),
        ConcurrencyStamp = $"{name.ToLowerInvariant()}-role",
    });
}
