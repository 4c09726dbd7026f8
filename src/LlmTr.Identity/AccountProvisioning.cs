using Microsoft.AspNetCore.Identity;

namespace LlmTr.Identity;

/// <summary>
/// Creates accounts the one way the product does it, whether from the register page, the command line or the demo seed:
/// the e-mail is the user name, every user is a Developer, admins are also Admin. The roles themselves come with the migrations.
/// Accounts an operator makes (the command line, the demo seed) count as confirmed; self sign-ups confirm their address by mail.
/// </summary>
public sealed class AccountProvisioning(UserManager<ApplicationUser> users, Organisations.IOrganisations organisations, TimeProvider time)
{
    /// <summary>Creates the user with its roles; returns the failure as it is (duplicate e-mail, weak password) without a partial account.</summary>
    public Task<IdentityResult> CreateAsync(string email, string password, bool isAdmin) =>
        CreateAsync(email, password, isAdmin, emailConfirmed: true);

    /// <summary>A sign-up from the register page: a Developer whose e-mail is not confirmed yet.</summary>
    public Task<IdentityResult> RegisterAsync(string email, string password) =>
        CreateAsync(email, password, isAdmin: false, emailConfirmed: false);

    private async Task<IdentityResult> CreateAsync(string email, string password, bool isAdmin, bool emailConfirmed)
    {
        var user = new ApplicationUser { UserName = email, Email = email, EmailConfirmed = emailConfirmed, CreatedAt = time.GetUtcNow() };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            return created;
        }

        var roleNames = isAdmin ? new[] { LlmTrRoles.Developer, LlmTrRoles.Admin } : [LlmTrRoles.Developer];
        var assigned = await users.AddToRolesAsync(user, roleNames);
        if (!assigned.Succeeded)
        {
            await users.DeleteAsync(user);
            return assigned;
        }

        // The account's personal organisation, whose id is the user's: its balance, keys and usage are the account's.
        await organisations.MembershipAsync(user.Id, user.Id);
        return assigned;
    }
}
