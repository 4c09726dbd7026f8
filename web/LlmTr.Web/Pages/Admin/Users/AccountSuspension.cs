using LlmTr.Identity.Administration;
using LlmTr.Modules.Keys.Contracts;

namespace LlmTr.Web.Pages.Admin.Users;

/// <summary>
/// Disabling a user spans two owners: Identity locks the account and ends its sessions, Keys revokes its API keys (and
/// tells every host). The lock comes first, so a failure in between leaves a user who cannot sign in, and disabling
/// again (which revokes whatever is still usable) finishes the job.
/// </summary>
internal sealed class AccountSuspension(IUserAdministration users, IApiKeyAdministration keys)
{
    /// <param name="reason">Why, in the admin's words; required, and kept in the audit log.</param>
    public async Task<SuspensionResult> DisableAsync(string userId, string actorId, string actorName, string reason, CancellationToken cancellationToken = default)
    {
        if (userId == actorId)
        {
            return new SuspensionResult(SuspensionOutcome.CannotDisableSelf, 0);
        }

        if (string.IsNullOrWhiteSpace(reason) || reason.Trim().Length > UserAdministration.MaxReasonLength)
        {
            return new SuspensionResult(SuspensionOutcome.ReasonMissing, 0);
        }

        var locked = await users.DisableAsync(userId, actorName, reason, cancellationToken);
        if (!locked.Succeeded)
        {
            return new SuspensionResult(locked.Found ? SuspensionOutcome.Failed : SuspensionOutcome.NotFound, 0);
        }

        var revoked = await keys.RevokeAllAsync(userId, actorId, cancellationToken);
        return new SuspensionResult(SuspensionOutcome.Done, revoked);
    }

    /// <summary>Unlocks the account; keys revoked when it was disabled stay revoked (the user creates new ones).</summary>
    public async Task<SuspensionResult> EnableAsync(string userId, string actorName, CancellationToken cancellationToken = default)
    {
        var unlocked = await users.EnableAsync(userId, actorName, cancellationToken);
        return new SuspensionResult(
            unlocked.Succeeded ? SuspensionOutcome.Done : unlocked.Found ? SuspensionOutcome.Failed : SuspensionOutcome.NotFound, 0);
    }
}

internal enum SuspensionOutcome
{
    Done,
    NotFound,
    CannotDisableSelf,
    ReasonMissing,
    Failed,
}

internal sealed record SuspensionResult(SuspensionOutcome Outcome, int RevokedKeys);
