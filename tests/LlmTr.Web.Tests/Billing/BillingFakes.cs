using LlmTr.Modules.Billing.Contracts;

namespace LlmTr.Web.Tests.Billing;

/// <summary>An account's top-ups as given, for components that only read them.</summary>
internal sealed class ListedTopUps(params TopUpSummary[] topUps) : ITopUps
{
    public TopUpTerms Terms { get; } = new(5m, 1000m, [10m, 25m], 0.06m, "USD", TestPayments: true);

    public Task<StartTopUpResult> StartAsync(string accountId, decimal credit, Uri siteBase, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException("Top-ups start from a form post to the server.");

    public Task<IReadOnlyList<TopUpSummary>> ListAsync(string accountId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<TopUpSummary>>(topUps.Where(t => t.AccountId == accountId).ToList());

    public Task<TopUpSummary?> FindAsync(string accountId, Guid topUpId, CancellationToken cancellationToken = default) =>
        Task.FromResult(topUps.SingleOrDefault(t => t.AccountId == accountId && t.Id == topUpId));
}

internal static class TopUpSamples
{
    public static readonly DateTimeOffset Now = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    public static TopUpSummary Pending(string account, decimal credit, DateTimeOffset expiresAt) => new(
        Guid.NewGuid(), account, expiresAt.AddHours(-1), credit, 0.06m, credit * 0.06m, credit * 1.06m, "USD", TopUpStatus.Pending, "test", null, null, 0m, null,
        ExpiresAt: expiresAt);

    public static TopUpSummary With(TopUpSummary topUp, TopUpStatus status) => topUp with { Status = status };
}

/// <summary>A clock that stands still at <see cref="TopUpSamples.Now"/>.</summary>
internal sealed class StoppedClock : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => TopUpSamples.Now;
}
