using LlmTr.Identity.Sessions;
using LlmTr.SharedKernel;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.Identity;

/// <summary>
/// Moves an account to a new address once the link mailed there is opened. The address is also the user name here
/// (<see cref="AccountProvisioning"/>), so both change together, in one update that also renews the security stamp (the
/// link cannot be used twice), with the account's other sessions ended, audited in the same transaction.
/// </summary>
public interface IEmailChange
{
    /// <param name="keepSessionKey">The session key of the browser that opened the link, when it is signed in to this account: that session goes on, every other ends.</param>
    Task<EmailChangeResult> ConfirmAsync(string userId, string newEmail, string token, string? keepSessionKey = null, CancellationToken cancellationToken = default);
}

public enum EmailChangeOutcome
{
    Changed,

    /// <summary>Unknown account, a token that is not for this address, used, or expired: the link does not work.</summary>
    InvalidLink,

    /// <summary>Another account took the address after the link was sent.</summary>
    Taken,
}

/// <param name="OldEmail">The address the account had, to tell it of the change; set only when it changed.</param>
public sealed record EmailChangeResult(EmailChangeOutcome Outcome, string? OldEmail = null);

internal sealed class EmailChange(IServiceScopeFactory scopes) : IEmailChange
{
    public async Task<EmailChangeResult> ConfirmAsync(string userId, string newEmail, string token, string? keepSessionKey = null, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var db = scope.ServiceProvider.GetRequiredService<LlmTrIdentityDbContext>(); // the context the user store works on
        var user = await users.FindByIdAsync(userId);
        if (user is null || user.DeletionStartedAt is not null || string.IsNullOrWhiteSpace(newEmail)
            || !await users.VerifyUserTokenAsync(user, users.Options.Tokens.ChangeEmailTokenProvider, UserManager<ApplicationUser>.GetChangeEmailTokenPurpose(newEmail), token))
        {
            return new EmailChangeResult(EmailChangeOutcome.InvalidLink);
        }

        if (await users.FindByEmailAsync(newEmail) is { } holder && holder.Id != user.Id)
        {
            return new EmailChangeResult(EmailChangeOutcome.Taken);
        }

        var oldEmail = user.Email;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        user.Email = newEmail;
        user.UserName = newEmail;
        user.EmailConfirmed = true; // opening the link proved the new address
        // Renewing the stamp saves the fields above in one update, normalized and validated (a duplicate is refused).
        IdentityResult updated;
        try
        {
            updated = await users.UpdateSecurityStampAsync(user);
        }
        catch (DbUpdateException)
        {
            // The unique index on the user name caught another account taking the address at the same moment.
            return new EmailChangeResult(EmailChangeOutcome.Taken);
        }

        if (!updated.Succeeded)
        {
            return new EmailChangeResult(updated.Errors.Any(e => e.Code is nameof(IdentityErrorDescriber.DuplicateEmail) or nameof(IdentityErrorDescriber.DuplicateUserName))
                ? EmailChangeOutcome.Taken
                : EmailChangeOutcome.InvalidLink);
        }

        // Sessions elsewhere end now rather than at their next security-stamp check (the browser that opened the link
        // keeps its own, which the page signs in again with the new stamp).
        var kept = keepSessionKey is null ? null : DatabaseTicketStore.HashOf(keepSessionKey);
        await db.Sessions.Where(s => s.UserId == user.Id && s.Id != kept).ExecuteDeleteAsync(cancellationToken);
        await scope.ServiceProvider.GetRequiredService<IAdminAudit>().RecordAsync(
            new AdminAction(user.Id, AdminActions.EmailChanged, $"user:{user.Id}", "confirmed through the link sent to the new address"),
            transaction.GetDbTransaction(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new EmailChangeResult(EmailChangeOutcome.Changed, oldEmail);
    }
}
