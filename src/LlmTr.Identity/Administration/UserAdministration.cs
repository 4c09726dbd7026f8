using LlmTr.Identity.Audit;
using LlmTr.SharedKernel;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace LlmTr.Identity.Administration;

/// <summary>Finding users and disabling or enabling their accounts, for the admin console (see <see cref="UserAdministration"/>).</summary>
public interface IUserAdministration
{
    Task<AdminUserPage> SearchAsync(string? email, int skip, int take, CancellationToken cancellationToken = default);

    Task<int> CountAsync(CancellationToken cancellationToken = default);

    /// <summary>Locks the account for good and ends its sessions; audited, with the admin's reason, in the same transaction.</summary>
    Task<UserAccessResult> DisableAsync(string userId, string actor, string reason, CancellationToken cancellationToken = default);

    /// <summary>Lifts the lock (API keys revoked while disabled stay revoked); audited in the same transaction.</summary>
    Task<UserAccessResult> EnableAsync(string userId, string actor, CancellationToken cancellationToken = default);
}

/// <summary>
/// Finding users and disabling or enabling their accounts, for the admin console. A disabled account is locked out
/// until a date no one reaches (Identity refuses its sign-ins), its security stamp is renewed (open dashboards lose
/// their session at the next revalidation) and its server-side sessions are ended. Its API keys are the Keys module's:
/// the caller revokes them.
/// </summary>
public sealed class UserAdministration : IUserAdministration
{
    /// <summary>The lockout end that marks an account as disabled rather than locked for a while after failed sign-ins.</summary>
    public static readonly DateTimeOffset DisabledLockoutEnd = new(2999, 12, 31, 0, 0, 0, TimeSpan.Zero);

    private readonly IServiceScopeFactory scopes;
    private readonly IDbContextFactory<LlmTrIdentityDbContext> contexts;
    private readonly ILookupNormalizer normalizer;

    internal UserAdministration(IServiceScopeFactory scopes, IDbContextFactory<LlmTrIdentityDbContext> contexts, ILookupNormalizer normalizer)
    {
        this.scopes = scopes;
        this.contexts = contexts;
        this.normalizer = normalizer;
    }

    public async Task<AdminUserPage> SearchAsync(string? email, int skip, int take, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(email))
        {
            var normalized = normalizer.NormalizeEmail(email.Trim());
            query = query.Where(u => u.NormalizedEmail!.Contains(normalized));
        }

        var total = await query.CountAsync(cancellationToken);
        var adminRoleId = LlmTrRoles.AdminRoleId;
        var adminIds = db.UserRoles.Where(r => r.RoleId == adminRoleId).Select(r => r.UserId);
        var rows = await query.OrderBy(u => u.NormalizedEmail).Skip(Math.Max(0, skip)).Take(Math.Clamp(take, 1, 200))
            .Select(u => new AdminUser(u.Id, u.Email ?? u.Id, u.CreatedAt, u.LockoutEnd >= DisabledLockoutEnd, u.TwoFactorEnabled, adminIds.Contains(u.Id), u.DeletedAt != null))
            .ToListAsync(cancellationToken);
        return new AdminUserPage(rows, total);
    }

    public async Task<int> CountAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Users.CountAsync(cancellationToken);
    }

    /// <summary>The longest reason an admin may give for disabling an account.</summary>
    public const int MaxReasonLength = 500;

    public Task<UserAccessResult> DisableAsync(string userId, string actor, string reason, CancellationToken cancellationToken = default) =>
        string.IsNullOrWhiteSpace(reason) || reason.Trim().Length > MaxReasonLength
            ? Task.FromResult(UserAccessResult.Failed($"A reason of 1 to {MaxReasonLength} characters is required."))
            : ChangeAsync(userId, actor, disable: true, reason.Trim(), cancellationToken);

    public Task<UserAccessResult> EnableAsync(string userId, string actor, CancellationToken cancellationToken = default) =>
        ChangeAsync(userId, actor, disable: false, reason: null, cancellationToken);

    private async Task<UserAccessResult> ChangeAsync(string userId, string actor, bool disable, string? reason, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var db = scope.ServiceProvider.GetRequiredService<LlmTrIdentityDbContext>(); // the context the user store works on
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return UserAccessResult.NotFound;
        }

        if (user.DeletedAt is not null)
        {
            // A deleted account stays locked for good: its owner removed it, and nothing of it is left to enable.
            return UserAccessResult.Failed("The account was deleted by its owner.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (disable)
        {
            user.LockoutEnabled = true;
            user.LockoutEnd = DisabledLockoutEnd;
        }
        else
        {
            user.LockoutEnd = null;
            user.AccessFailedCount = 0;
        }

        // Renewing the stamp also saves the lockout change above, in one update.
        var updated = await users.UpdateSecurityStampAsync(user);
        if (!updated.Succeeded)
        {
            return UserAccessResult.Failed(string.Join(" ", updated.Errors.Select(e => e.Description)));
        }

        if (disable)
        {
            await db.Sessions.Where(s => s.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        }

        await scope.ServiceProvider.GetRequiredService<IAdminAudit>().RecordAsync(
            new AdminAction(actor, disable ? AdminActions.UserDisabled : AdminActions.UserEnabled, $"user:{user.Email ?? user.Id}", reason),
            transaction.GetDbTransaction(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return UserAccessResult.Done;
    }
}

/// <param name="IsDisabled">Disabled by an admin (not a temporary lockout after failed sign-ins).</param>
/// <param name="IsDeleted">Deleted by its owner: anonymised and locked for good (it also counts as disabled).</param>
public sealed record AdminUser(string Id, string Email, DateTimeOffset CreatedAt, bool IsDisabled, bool TwoFactorEnabled, bool IsAdmin, bool IsDeleted = false);

public sealed record AdminUserPage(IReadOnlyList<AdminUser> Rows, int Total);

public sealed record UserAccessResult(bool Found, string? Error)
{
    public static UserAccessResult Done { get; } = new(true, null);

    public static UserAccessResult NotFound { get; } = new(false, null);

    public static UserAccessResult Failed(string error) => new(true, error);

    public bool Succeeded => Found && Error is null;
}
