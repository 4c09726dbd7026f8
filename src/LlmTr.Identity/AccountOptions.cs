using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LlmTr.Identity;

/// <summary>E-mail confirmation and the links the site mails (<c>Identity:*</c>).</summary>
public sealed class AccountOptions
{
    public const string Section = "Identity";

    /// <summary>Whether an account must confirm its e-mail before it may create API keys or top up (it may sign in either way).</summary>
    public bool RequireConfirmedEmail { get; set; } = true;

    /// <summary>How long a password-reset, confirmation or e-mail-change link works.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "7.00:00:00")]
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(3);
}

/// <summary>Whether an account has done what it must before it creates API keys or tops up: confirmed its e-mail, when required.</summary>
public interface IEmailConfirmationGate
{
    bool Required { get; }

    /// <summary>True when the account may go ahead (confirmed, or confirmation not required); false for an unknown account or one being deleted.</summary>
    Task<bool> AllowsAsync(string userId, CancellationToken cancellationToken = default);
}

internal sealed class EmailConfirmationGate(IOptions<AccountOptions> options, IDbContextFactory<LlmTrIdentityDbContext> contexts) : IEmailConfirmationGate
{
    public bool Required => options.Value.RequireConfirmedEmail;

    public async Task<bool> AllowsAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // An account being deleted is held as well: a deletion that stopped half-way must not leave it able to make keys.
        var state = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.EmailConfirmed, Closing = u.DeletionStartedAt != null }).SingleOrDefaultAsync(cancellationToken);
        return state is { Closing: false } && (state.EmailConfirmed || !options.Value.RequireConfirmedEmail);
    }
}

