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
    /// <summary>The demo admin's credentials as they stand: the password is known only when this installation chose it.</summary>
    public async Task<DemoCredentials> SeedAsync()
    {
        var password = demo.ConfiguredAdminPassword
            ?? state.ReadOrCreateSecret("demo-admin-password", () => $"Demo-{LocalState.RandomToken(12)}-9a");
        if (await users.FindByEmailAsync(demo.AdminEmail) is null)
        {
            var created = await accounts.CreateAsync(demo.AdminEmail, password, isAdmin: true);
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

        return new DemoCredentials(demo.AdminEmail, password);
    }
}

internal sealed record DemoCredentials(string Email, string Password);
