using LlmTr.Identity;
using Microsoft.AspNetCore.Identity;

namespace LlmTr.Web.Tests.Support;

/// <summary>
/// Answers the questions the settings pages ask while rendering, about one user held in memory. Anything that would
/// change the user fails loudly: changes go through the integration tests against PostgreSQL.
/// </summary>
public sealed class OneUserStore(ApplicationUser user, int recoveryCodesLeft = 0) :
    IUserTwoFactorStore<ApplicationUser>, IUserAuthenticatorKeyStore<ApplicationUser>, IUserTwoFactorRecoveryCodeStore<ApplicationUser>
{
    public Task<ApplicationUser?> FindByIdAsync(string userId, CancellationToken cancellationToken) =>
        Task.FromResult(userId == user.Id ? user : null);

    public Task<string> GetUserIdAsync(ApplicationUser user, CancellationToken cancellationToken) => Task.FromResult(user.Id);

    public Task<string?> GetUserNameAsync(ApplicationUser user, CancellationToken cancellationToken) => Task.FromResult(user.UserName);

    public Task<bool> GetTwoFactorEnabledAsync(ApplicationUser user, CancellationToken cancellationToken) => Task.FromResult(user.TwoFactorEnabled);

    public Task<string?> GetAuthenticatorKeyAsync(ApplicationUser user, CancellationToken cancellationToken) =>
        Task.FromResult<string?>("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP");

    public Task<int> CountCodesAsync(ApplicationUser user, CancellationToken cancellationToken) => Task.FromResult(recoveryCodesLeft);

    public Task<ApplicationUser?> FindByNameAsync(string normalizedUserName, CancellationToken cancellationToken) => throw Unexpected();

    public Task<string?> GetNormalizedUserNameAsync(ApplicationUser user, CancellationToken cancellationToken) => throw Unexpected();

    public Task SetUserNameAsync(ApplicationUser user, string? userName, CancellationToken cancellationToken) => throw Unexpected();

    public Task SetNormalizedUserNameAsync(ApplicationUser user, string? normalizedName, CancellationToken cancellationToken) => throw Unexpected();

    public Task<IdentityResult> CreateAsync(ApplicationUser user, CancellationToken cancellationToken) => throw Unexpected();

    public Task<IdentityResult> UpdateAsync(ApplicationUser user, CancellationToken cancellationToken) => throw Unexpected();

    public Task<IdentityResult> DeleteAsync(ApplicationUser user, CancellationToken cancellationToken) => throw Unexpected();

    public Task SetTwoFactorEnabledAsync(ApplicationUser user, bool enabled, CancellationToken cancellationToken) => throw Unexpected();

    public Task SetAuthenticatorKeyAsync(ApplicationUser user, string key, CancellationToken cancellationToken) => throw Unexpected();

    public Task ReplaceCodesAsync(ApplicationUser user, IEnumerable<string> recoveryCodes, CancellationToken cancellationToken) => throw Unexpected();

    public Task<bool> RedeemCodeAsync(ApplicationUser user, string code, CancellationToken cancellationToken) => throw Unexpected();

    public void Dispose()
    {
    }

    private static NotSupportedException Unexpected() => new("Rendering a settings page must not change the user.");
}
