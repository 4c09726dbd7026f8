namespace LlmTr.Modules.Billing.Contracts;

/// <summary>Figures across every account, for the admin console's overview.</summary>
public interface IPlatformStatistics
{
    /// <param name="since">Start of the recent window (revenue and usage both), e.g. the last 24 hours.</param>
    /// <param name="topModels">How many models to list, busiest first.</param>
    Task<PlatformOverview> OverviewAsync(DateTimeOffset since, int topModels, CancellationToken cancellationToken = default);
}

/// <param name="MarginRevenue">The margin part of every completed top-up: the platform's revenue (credit is the users').</param>
/// <param name="MarginRevenueSince">The same, for top-ups completed in the window.</param>
/// <param name="Requests">Requests started in the window.</param>
/// <param name="FailedRequests">Of those, the ones that failed (cancelled ones are the clients' choice and not counted).</param>
public sealed record PlatformOverview(
    decimal MarginRevenue,
    decimal MarginRevenueSince,
    int CompletedTopUpsSince,
    string Currency,
    long Requests,
    long FailedRequests,
    decimal Spend,
    IReadOnlyList<ModelActivity> TopModels)
{
    public decimal? ErrorRate => Requests == 0 ? null : (decimal)FailedRequests / Requests;
}

public sealed record ModelActivity(string ModelId, long Requests, long FailedRequests, decimal Spend)
{
    public decimal ErrorRate => Requests == 0 ? 0m : (decimal)FailedRequests / Requests;
}
