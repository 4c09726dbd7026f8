using LlmTr.Modules.Billing.Contracts;
using LlmTr.Modules.Catalog.Contracts;
using LlmTr.Modules.Keys.Contracts;
using LlmTr.SharedKernel;
using Microsoft.Net.Http.Headers;

namespace LlmTr.Modules.Gateway.Chat;

/// <summary>
/// The admission steps every /v1 pipeline shares, from memory only: room for the request's usage row (so an answered
/// request can always be billed, even while the database is away), the account's credit with a reserve held while the
/// request runs, and, when the request ends, its usage handed to Billing and the reserve given back.
/// </summary>
internal sealed class Admission(IUsageAdmission usageQueue, ICreditGate credit, IUsageRecorder usage)
{
    /// <summary>How long a client refused for a full usage queue is asked to wait.</summary>
    private const string RetryAfterSeconds = "5";

    /// <summary>Reserves the request's usage row; when the queue is full, answers 503 and the request records nothing.</summary>
    public async Task<bool> AdmitAsync(Exchange exchange, ApiKeyIdentity identity)
    {
        if (!usageQueue.TryReserve())
        {
            exchange.Target.SetHeader(HeaderNames.RetryAfter, RetryAfterSeconds);
            await exchange.FailAsync(GatewayError.Of(ApiErrors.ServiceUnavailable,
                $"LLMTR cannot record usage right now, so the request was not served and nothing was charged. Retry in {RetryAfterSeconds} seconds."));
            return false;
        }

        exchange.Identity = identity; // from here on the request's usage is recorded when it ends, whatever happens
        return true;
    }

    /// <summary>
    /// When any of the request's candidate models is paid, checks the credit and holds what the request can cost at
    /// most on the dearest of them (a fallback may serve it) against the account and the key while it runs; on refusal
    /// answers 402. <paramref name="maximum"/> tells what the request can consume at most on a model (at the prices in force when it started), or null when that
    /// cannot be known before the provider answers (the hold is then all that is left of the balance and limits).
    /// </summary>
    public async Task<bool> ReserveCreditAsync<TState>(
        Exchange exchange, ApiKeyIdentity identity, List<CatalogModel> candidates, TState state, Func<TState, CatalogModel, DateTimeOffset, UsageCounts?> maximum)
    {
        var paid = false;
        var maximumCost = 0m;
        for (var i = 0; i < candidates.Count && maximumCost < decimal.MaxValue; i++)
        {
            var candidate = candidates[i];
            if (!candidate.IsPaidAt(exchange.StartedAt))
            {
                continue;
            }

            paid = true;
            maximumCost = maximum(state, candidate, exchange.StartedAt) is { } counts
                ? Math.Max(maximumCost, usage.MaximumCost(candidate.Id, counts, exchange.StartedAt))
                : decimal.MaxValue;
        }

        if (!paid)
        {
            return true;
        }

        var hold = await credit.ReserveAsync(identity.AccountId, identity.LineageId, identity.SpendLimit, identity.MonthlySpendLimit, maximumCost,
            new SpendBudget(identity.MemberSpendId, identity.MemberBudget?.SpendLimit, identity.MemberBudget?.MonthlySpendLimit));
        if (!hold.IsAllowed)
        {
            await exchange.FailAsync(GatewayError.Of(ApiErrors.InsufficientCredits, hold.Refusal!));
            return false;
        }

        exchange.CreditHold = hold;
        return true;
    }

    /// <summary>The end of every admitted request: its usage (if not yet handed over with its answer), then the reserve back.</summary>
    public void Finish(Exchange exchange)
    {
        if (exchange.Identity is not { } identity)
        {
            return;
        }

        if (!exchange.Recorded)
        {
            usage.Record(exchange.Report(exchange.Billable?.Model, exchange.Billable?.Counts ?? UsageCounts.None));
        }

        if (exchange.CreditHold is { } hold)
        {
            exchange.CreditHold = null;
            credit.Release(identity.AccountId, hold); // after the debit above, so the account is never briefly unheld and undebited
        }
    }
}
