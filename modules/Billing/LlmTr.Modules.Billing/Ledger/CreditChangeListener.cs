using System.Globalization;
using LlmTr.Modules.Billing.Data;
using LlmTr.Persistence;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace LlmTr.Modules.Billing.Ledger;

/// <summary>
/// Loads every account before the host serves, then reloads the accounts another host changed (top-ups,
/// adjustments, its usage batches) from their notices. A notice for a version this host already knows, or is about
/// to take from its own usage debit (which returns the account's state), costs nothing.
/// </summary>
internal sealed class CreditChangeListener(
    AccountCreditLoader loader, AccountCredits credits, NpgsqlDataSource dataSource, ILogger<CreditChangeListener> logger)
    : PostgresChannelListener(dataSource, BillingDbContext.ChangeChannel, logger)
{
    protected override TimeSpan ResyncInterval => TimeSpan.FromMinutes(5);

    protected override Task ResyncAsync(CancellationToken cancellationToken) => loader.RefreshAsync(null, cancellationToken);

    protected override Task OnNotificationAsync(string payload, CancellationToken cancellationToken)
    {
        var stale = new List<string>();
        foreach (var pair in payload.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = pair.LastIndexOf(':');
            if (colon <= 0 || !long.TryParse(pair.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                return ResyncAsync(cancellationToken);
            }

            var accountId = pair[..colon];
            if (!credits.Knows(accountId, version))
            {
                stale.Add(accountId);
            }
        }

        return stale.Count == 0 ? Task.CompletedTask : loader.RefreshAsync(stale, cancellationToken);
    }

    /// <summary>The notice for changed accounts: <c>account:version</c> pairs, split to stay under PostgreSQL's payload limit.</summary>
    public static IEnumerable<string> Payloads(IEnumerable<(string AccountId, long Version)> changes)
    {
        const int MaxPayload = 7000;
        var payload = new System.Text.StringBuilder();
        foreach (var (accountId, version) in changes)
        {
            var pair = string.Create(CultureInfo.InvariantCulture, $"{accountId}:{version}");
            if (payload.Length > 0 && payload.Length + pair.Length + 1 > MaxPayload)
            {
                yield return payload.ToString();
                payload.Clear();
            }

            payload.Append(payload.Length > 0 ? "," : "").Append(pair);
        }

        if (payload.Length > 0)
        {
            yield return payload.ToString();
        }
    }
}
