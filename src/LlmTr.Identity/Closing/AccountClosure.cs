using LlmTr.Identity.Administration;
using LlmTr.SharedKernel;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace LlmTr.Identity.Closing;

/// <summary>
/// The Identity side of deleting an account at its owner's request, in two steps around what other modules remove (keys,
/// pending top-ups, billing details). <see cref="BeginAsync"/> marks the account as being deleted, so it can no longer
/// create keys or top up but can still sign in and ask again; <see cref="CompleteAsync"/> removes the personal data in one
/// transaction. Both steps may run again: a deletion that stopped half-way is finished by the next one.
/// </summary>
public interface IAccountClosure
{
    Task<ClosureStart> BeginAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Anonymises the account for good: a placeholder address (<c>deleted-&lt;id&gt;@invalid</c>, so the real one can
    /// register again), no password, phone, two-factor secrets, recovery codes, external logins, claims or roles, locked
    /// out for ever, a new security stamp, and every session ended; audited in the same transaction. The id stays, so the
    /// ledger and usage rows that name it stay whole. False when there is no such account.
    /// </summary>
    Task<bool> CompleteAsync(string userId, CancellationToken cancellationToken = default);
}

public enum ClosureStart
{
    Started,
    NotFound,

    /// <summary>The account is the last admin who can still sign in: the installation would have nobody to run it.</summary>
    LastAdmin,

    /// <summary>The account is the only owner of an organisation that has other members: they would be left without one.</summary>
    LastOwner,
}

internal sealed class AccountClosure(IDbContextFactory<LlmTrIdentityDbContext> contexts, ILookupNormalizer normalizer, IAdminAudit audit, TimeProvider time)
    : IAccountClosure
{
    /// <summary>Serializes the last-admin check of concurrent deletions (any constant unique to this purpose).</summary>
    private const long AdminDeletionLock = 0x4C4C4D5452_0001;

    /// <summary>The address a deleted account is left with: unique, says nothing of the person, and never deliverable.</summary>
    public static string PlaceholderEmail(string userId) => $"deleted-{userId}@invalid";

    public async Task<ClosureStart> BeginAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({AdminDeletionLock})", cancellationToken);
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null)
        {
            return ClosureStart.NotFound;
        }

        if (user.DeletionStartedAt is not null)
        {
            return ClosureStart.Started;
        }

        var adminRoleId = LlmTrRoles.AdminRoleId;
        var admins = db.UserRoles.Where(r => r.RoleId == adminRoleId).Select(r => r.UserId);
        if (await admins.ContainsAsync(userId, cancellationToken))
        {
            var otherActiveAdmins = await db.Users.CountAsync(
                u => u.Id != userId && admins.Contains(u.Id) && u.DeletionStartedAt == null
                    && (u.LockoutEnd == null || u.LockoutEnd < UserAdministration.DisabledLockoutEnd),
                cancellationToken);
            if (otherActiveAdmins == 0)
            {
                return ClosureStart.LastAdmin;
            }
        }

        // An organisation with other members keeps an owner: the account makes another member owner first (or leaves it empty).
        var soleOwnerOfShared = await db.OrganisationMembers.AnyAsync(
            m => m.UserId == userId && m.Role == Organisations.OrganisationRole.Owner && m.OrganisationId != userId
                && !db.OrganisationMembers.Any(o => o.OrganisationId == m.OrganisationId && o.UserId != userId && o.Role == Organisations.OrganisationRole.Owner)
                && db.OrganisationMembers.Any(o => o.OrganisationId == m.OrganisationId && o.UserId != userId),
            cancellationToken);
        if (soleOwnerOfShared)
        {
            return ClosureStart.LastOwner;
        }

        user.DeletionStartedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return ClosureStart.Started;
    }

    public async Task<bool> CompleteAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null)
        {
            return false;
        }

        var now = time.GetUtcNow();
        var placeholder = PlaceholderEmail(userId);
        user.UserName = placeholder;
        user.NormalizedUserName = normalizer.NormalizeName(placeholder);
        user.Email = placeholder;
        user.NormalizedEmail = normalizer.NormalizeEmail(placeholder);
        user.EmailConfirmed = false;
        user.PasswordHash = null;
        user.PhoneNumber = null;
        user.PhoneNumberConfirmed = false;
        user.TwoFactorEnabled = false;
        user.LockoutEnabled = true;
        user.LockoutEnd = UserAdministration.DisabledLockoutEnd;
        user.AccessFailedCount = 0;
        user.PreferredCulture = null;
        user.PreferredTheme = null;
        user.SecurityStamp = Guid.NewGuid().ToString("N").ToUpperInvariant();
        user.ConcurrencyStamp = Guid.NewGuid().ToString();
        user.DeletionStartedAt ??= now;
        var firstTime = user.DeletedAt is null;
        user.DeletedAt ??= now;
        await db.SaveChangesAsync(cancellationToken);

        // The authenticator key and recovery codes live in the tokens table.
        await db.UserTokens.Where(t => t.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        await db.UserLogins.Where(l => l.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        await db.UserClaims.Where(c => c.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        await db.UserRoles.Where(r => r.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        await db.Sessions.Where(s => s.UserId == userId).ExecuteDeleteAsync(cancellationToken);

        // A deleted account belongs to no shared organisation any more (its keys there were revoked before this step);
        // its personal organisation stays, so the ledger and usage rows that name it stay whole.
        await db.OrganisationMembers.Where(m => m.UserId == userId && m.OrganisationId != userId).ExecuteDeleteAsync(cancellationToken);

        if (firstTime)
        {
            // Names the account by its id only: the audit log must not keep the address that was just removed.
            await audit.RecordAsync(new AdminAction(userId, AdminActions.AccountDeleted, $"user:{userId}", "deleted by its owner"),
                transaction.GetDbTransaction(), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}
