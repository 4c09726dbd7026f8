namespace LlmTr.Host.Demo;

/// <summary>
/// Demo mode loads a demo admin (and, as modules land, a demo catalog) so a fresh checkout is usable at once.
/// On by default only with the local cluster; a configured database gets demo data only when <c>Demo:Enabled</c> says so.
/// </summary>
internal sealed class DemoMode(bool enabled, string adminEmail, string? adminPassword)
{
    public bool Enabled { get; } = enabled;

    public string AdminEmail { get; } = adminEmail;

    public string? ConfiguredAdminPassword { get; } = adminPassword;

    public static DemoMode From(IConfiguration configuration) => new(
        configuration.GetValue<bool?>("Demo:Enabled") ?? !Database.HostConnectionString.IsConfigured(configuration),
        configuration["Demo:AdminEmail"] is { Length: > 0 } email ? email : "admin@llmtr.local",
        configuration["Demo:AdminPassword"] is { Length: > 0 } password ? password : null);
}
