using System.Security.Claims;
using LlmTr.Identity;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LlmTr.Web.Account;

/// <summary>
/// An interactive circuit outlives the request that started it, so a password change or a removed account
/// elsewhere must still end it: every 30 minutes the user's security stamp is compared with the one signed in.
/// </summary>
internal sealed class IdentityRevalidatingAuthenticationStateProvider(
    ILoggerFactory loggerFactory,
    IServiceScopeFactory scopeFactory,
    IOptions<IdentityOptions> options)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    // Short, so an open dashboard of a user an admin disabled (whose security stamp changed) closes within a minute.
    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override async Task<bool> ValidateAuthenticationStateAsync(
        AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        // A fresh scope, so the user is read from the database rather than from the circuit's long-lived context.
        await using var scope = scopeFactory.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        return await IsStampCurrentAsync(users, authenticationState.User);
    }

    private async Task<bool> IsStampCurrentAsync(UserManager<ApplicationUser> users, ClaimsPrincipal principal)
    {
        var user = await users.GetUserAsync(principal);
        if (user is null)
        {
            return false;
        }

        if (!users.SupportsUserSecurityStamp)
        {
            return true;
        }

        var signedInStamp = principal.FindFirstValue(options.Value.ClaimsIdentity.SecurityStampClaimType);
        return signedInStamp == await users.GetSecurityStampAsync(user);
    }
}
