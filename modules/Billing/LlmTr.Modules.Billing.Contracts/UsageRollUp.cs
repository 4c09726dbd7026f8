namespace LlmTr.Modules.Billing.Contracts;

/// <summary>The daily usage totals (what charts read for older days, and what stays once per-request rows expire).</summary>
public interface IUsageRollUp
{
    /// <summary>
    /// Recomputes the totals of the UTC days from <paramref name="from"/> to <paramref name="to"/> (both included) from
    /// the usage rows still kept; days without rows keep the totals they had. Returns how many totals were written.
    /// </summary>
    Task<int> RollUpAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken = default);
}
