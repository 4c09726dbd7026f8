using LlmTr.Host.Database;

namespace LlmTr.Host.Demo;

/// <summary>
/// Demo mode loads a demo admin (and, as modules land, a demo catalog) so a fresh checkout is usable at once.
/// On by default only for the local demo (the local cluster, outside Production and Staging); a configured database,
/// Production or Staging get demo data only when <c>Demo:Enabled</c> says so explicitly.
/// </summary>
internal sealed class DemoMode(bool enabled, string adminEmail, string? adminPassword)
{
    public bool Enabled { get; } = enabled;

    public string AdminEmail { get; } = adminEmail;

    public string? ConfiguredAdminPassword { get; } = adminPassword;

    public static DemoMode From(IConfiguration configuration, IHostEnvironment environment) => new(
        configuration.GetValue<bool?>("Demo:Enabled") ?? IsLocalDemo(configuration, environment),
        configuration["Demo:AdminEmail"] is { Length: > 0 } email ? email : "admin@llmtr.local",
        configuration["Demo:AdminPassword"] is { Length: > 0 } password ? password : null);

    /// <summary>
    /// The built-in test checkout (credit without money) exists only in Development or in the local demo, never in
    /// Production or Staging whatever else is set: there a payment provider is required, or top-ups are turned off.
    /// </summary>
    public static bool AllowsTestPayments(IConfiguration configuration, IHostEnvironment environment) =>
        environment.IsDevelopment() || IsLocalDemo(configuration, environment);

    /// <summary>
    /// The dev mailbox (mail kept in memory and shown to admins instead of sent) has the same bounds: Development and
    /// the local demo only; everywhere else an SMTP server is required.
    /// </summary>
    public static bool AllowsDevMailbox(IConfiguration configuration, IHostEnvironment environment) =>
        AllowsTestPayments(configuration, environment);

    /// <summary>The run command's local installation: no database configured, and not an environment meant for real use.</summary>
    private static bool IsLocalDemo(IConfiguration configuration, IHostEnvironment environment) =>
        !HostConnectionString.IsConfigured(configuration) && !environment.IsProduction() && !environment.IsStaging();
}
