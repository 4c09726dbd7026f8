using LlmTr.Identity.Administration;
using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Keys.Contracts;

namespace LlmTr.Web.Tests.Support;

/// <summary>Users held in memory, for the admin pages; records what was disabled and enabled.</summary>
internal sealed class FakeUserAdministration : IUserAdministration
{
    public List<AdminUser> Users { get; } = [];

    public Task<AdminUserPage> SearchAsync(string? email, int skip, int take, CancellationToken cancellationToken = default)
    {
        var matching = Users.Where(u => string.IsNullOrWhiteSpace(email) || u.Email.Contains(email.Trim(), StringComparison.OrdinalIgnoreCase)).ToList();
        return Task.FromResult(new AdminUserPage(matching.Skip(skip).Take(take).ToList(), matching.Count));
    }

    public Task<int> CountAsync(CancellationToken cancellationToken = default) => Task.FromResult(Users.Count);

    /// <summary>The reason given with each disabling, by user id.</summary>
    public Dictionary<string, string> Reasons { get; } = [];

    public Task<UserAccessResult> DisableAsync(string userId, string actor, string reason, CancellationToken cancellationToken = default)
    {
        Reasons[userId] = reason;
        return Set(userId, true);
    }

    public Task<UserAccessResult> EnableAsync(string userId, string actor, CancellationToken cancellationToken = default) => Set(userId, false);

    private Task<UserAccessResult> Set(string userId, bool disabled)
    {
        var index = Users.FindIndex(u => u.Id == userId);
        if (index < 0)
        {
            return Task.FromResult(UserAccessResult.NotFound);
        }

        Users[index] = Users[index] with { IsDisabled = disabled };
        return Task.FromResult(UserAccessResult.Done);
    }
}

internal sealed class FakePlatformStatistics(PlatformOverview overview) : IPlatformStatistics
{
    public Task<PlatformOverview> OverviewAsync(DateTimeOffset since, int topModels, CancellationToken cancellationToken = default) =>
        Task.FromResult(overview);
}

/// <summary>Keys of users, for the users page: revoking all of an owner's keys marks them revoked.</summary>
internal sealed class FakeKeyAdministration : IApiKeyAdministration
{
    public List<OwnedApiKey> Keys { get; } = [];

    public Task<IReadOnlyList<OwnedApiKey>> ListAsync(IReadOnlyCollection<string>? ownerUserIds, int limit, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<OwnedApiKey>>(Keys.Where(k => ownerUserIds is null || ownerUserIds.Contains(k.Key.MemberUserId)).ToList());

    public Task<bool> RevokeAsync(Guid keyId, string actorUserId, CancellationToken cancellationToken = default) => Task.FromResult(true);

    public Task<int> RevokeMemberAsync(string accountId, string userId, string actorUserId, CancellationToken cancellationToken = default) =>
        RevokeAllAsync(userId, actorUserId, cancellationToken);

    public Task<int> RevokeAllAsync(string ownerUserId, string actorUserId, CancellationToken cancellationToken = default)
    {
        var revoked = 0;
        for (var i = 0; i < Keys.Count; i++)
        {
            if (Keys[i].Key.MemberUserId == ownerUserId && Keys[i].Key.RevokedAt is null)
            {
                Keys[i] = Keys[i] with { Key = Keys[i].Key with { RevokedAt = DateTimeOffset.UtcNow }, RevokedBy = actorUserId };
                revoked++;
            }
        }

        return Task.FromResult(revoked);
    }
}

internal sealed class FakeBalances : IBalanceQuery
{
    public Task<AccountBalance> GetAsync(string accountId, CancellationToken cancellationToken = default) =>
        Task.FromResult(new AccountBalance(accountId, 12.5m, "USD"));
}
