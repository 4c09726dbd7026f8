using LlmTr.Identity;
using Microsoft.AspNetCore.Identity;

namespace LlmTr.Web.Account;

internal enum PasswordCheckResult
{
    Right,
    Wrong,

    /// <summary>Too many wrong passwords: the account is locked for a while (sign-in too), whatever was entered.</summary>
    LockedOut,
}

/// <summary>
/// The password asked again before a change of address or a deletion. A session left open must not become a way to guess
/// the password without limit, so wrong answers count toward the same lockout as failed sign-ins.
/// </summary>
internal static class PasswordCheck
{
    public static async Task<PasswordCheckResult> CheckAsync(UserManager<ApplicationUser> users, ApplicationUser user, string password)
    {
        var counted = users.SupportsUserLockout;
        if (counted && await users.IsLockedOutAsync(user))
        {
            return PasswordCheckResult.LockedOut;
        }

        if (await users.CheckPasswordAsync(user, password))
        {
            if (counted && await users.GetAccessFailedCountAsync(user) > 0)
            {
                await users.ResetAccessFailedCountAsync(user);
            }

            return PasswordCheckResult.Right;
        }

        if (counted)
        {
            await users.AccessFailedAsync(user);
            if (await users.IsLockedOutAsync(user))
            {
                return PasswordCheckResult.LockedOut;
            }
        }

        return PasswordCheckResult.Wrong;
    }
}
