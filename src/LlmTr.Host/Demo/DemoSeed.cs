using LlmTr.Identity;
using LlmTr.SharedKernel;
using Microsoft.AspNetCore.Identity;

namespace LlmTr.Host.Demo;

/// <summary>Loads the demo data (the demo admin, then each module's); safe to run any number of times (nothing that exists is changed).</summary>
internal sealed class DemoSeed(
    DemoMode demo,
    LocalState state,
    UserManager<ApplicationUser> users,
    AccountProvisioning accounts,
    IEnumerable<IDemoData> modules)
{
    public const string PasswordFile = "demo-admin-password";

    /// <summary>The demo admin as it stands; its password is handed back only when this run created it (to be shown once).</summary>
    public async Task<DemoCredentials> SeedAsync()
    {
        string? newPassword = null;
        if (await users.FindByEmailAsync(demo.AdminEmail) is null)
        {
            newPassword = demo.ConfiguredAdminPassword
                ?? state.ReadOrCreateSecret(PasswordFile, () => $"Demo-{LocalState.RandomToken(12)}-9a");
            var created = await accounts.CreateAsync(demo.AdminEmail, newPassword, isAdmin: true);
            if (!created.Succeeded)
            {
                throw new InvalidOperationException(
                    "The demo admin could not be created: " + string.Join(" ", created.Errors.Select(e => e.Description)));
            }
        }

        foreach (var module in modules)
        {
            await module.LoadAsync(CancellationToken.None);
        }

        return new DemoCredentials(demo.AdminEmail, newPassword, PasswordSource());
    }

    /// <summary>Where the password can be looked up again, named without showing it.</summary>
    private string PasswordSource() => demo.ConfiguredAdminPassword is not null
        ? "as set in Demo:AdminPassword"
        : "in " + Path.Combine(state.Directory, PasswordFile);
}

/// <param name="NewPassword">The password of an admin created by this run, shown once; null when the admin already existed.</param>
/// <param name="PasswordSource">Where its password is kept, for the times it is not shown.</param>
internal sealed record DemoCredentials(string Email, string? NewPassword, string PasswordSource)
{
    /// <summary>One line for the operator's console: the password only when the admin was just created.</summary>
    public string Describe() => NewPassword is { } password
        ? $"Demo admin: {Email} / {password}  (shown this once, as the admin was created)"
        : $"Demo admin: {Email}  (its password is {PasswordSource})";
}
