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
            exchange.Http.Response.Headers[HeaderNames.RetryAfter] = RetryAfterSeconds;
            await exchange.FailAsync(GatewayError.Of(ApiErrors.ServiceUnavailable,
                $"LLMTR cannot record usage right now, so the request was not served and nothing was charged. Retry in {RetryAfterSeconds} seconds."));
            return false;
        }

        exchange.Identity = identity; // from here on the request's usage is recorded when it ends, whatever happens
        return true;
    }

    /// <summary>For a paid model, checks the credit and holds the account's in-flight reserve; on refusal answers 402.</summary>
    public async Task<bool> ReserveCreditAsync(Exchange exchange, ApiKeyIdentity identity, CatalogModel model)
    {
        if (!model.IsPaidAt(exchange.StartedAt))
        {
            return true;
        }

        var decision = credit.Reserve(identity.OwnerUserId, identity.KeyId, identity.SpendLimit, identity.MonthlySpendLimit);
        if (!decision.IsAllowed)
        {
            await exchange.FailAsync(GatewayError.Of(ApiErrors.InsufficientCredits, decision.Refusal!));
            return false;
        }

        exchange.CreditReserved = true;
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

        if (exchange.CreditReserved)
        {
            exchange.CreditReserved = false;
            credit.Release(identity.OwnerUserId); // after the debit above, so the account is never briefly unreserved and undebited
        }
    }
}
