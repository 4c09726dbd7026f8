using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LlmTr.Identity;

/// <summary>
/// Identity's sign-in, except that an unknown e-mail costs the same password hashing as a known one. Identity answers an
/// unknown user name at once, without hashing, which made a failed sign-in about ten times faster for an address with no
/// account: a stopwatch told who has one. Here the password is checked against a stand-in hash instead, and refused.
/// </summary>
internal sealed class UniformSignInManager(
    UserManager<ApplicationUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<ApplicationUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<ApplicationUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<ApplicationUser> confirmation)
    : SignInManager<ApplicationUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    /// <summary>A hash of a random password, made once by the installation's own hasher so checking it costs what a real check costs.</summary>
    private static string? standIn;

    public override async Task<SignInResult> PasswordSignInAsync(string userName, string password, bool isPersistent, bool lockoutOnFailure)
    {
        var user = await UserManager.FindByNameAsync(userName);
        if (user is not null)
        {
            return await PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure);
        }

        var hasher = UserManager.PasswordHasher;
        var hash = standIn ??= hasher.HashPassword(new ApplicationUser(), Guid.NewGuid().ToString("N"));
        _ = hasher.VerifyHashedPassword(new ApplicationUser(), hash, password);
        return SignInResult.Failed;
    }
}
